import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signJwt, verifyJwt } from './jwt.js';

const key = new TextEncoder().encode('a-secret-that-is-at-least-32-bytes-long');
const NOW = 1_700_000_000_000;
const seconds = NOW / 1000;

describe('HS256 JWTs are standard: jose and we agree both ways', () => {
  it('jose verifies a token we signed', async () => {
    const token = signJwt({ sub: 'ada', iss: 'microcosm', iat: seconds, exp: seconds + 60, scopes: ['a'] }, key);
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      issuer: 'microcosm',
      currentDate: new Date(NOW),
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'ada', scopes: ['a'] });
  });

  it('we verify a token jose signed, and agree with jose on expiry to the second', async () => {
    const token = await new SignJWT({ use: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('microcosm')
      .setSubject('bob')
      .setExpirationTime(seconds + 60)
      .sign(key);
    expect(verifyJwt(token, key, { nowMs: NOW + 59_999, issuer: 'microcosm' })).toMatchObject({
      type: 'valid',
      payload: { sub: 'bob' },
    });
    expect(verifyJwt(token, key, { nowMs: NOW + 60_000, issuer: 'microcosm' })).toEqual({ type: 'expired' });
    await expect(jwtVerify(token, key, { currentDate: new Date(NOW + 60_000) })).rejects.toThrow(/exp/);
  });

  it('names what is wrong with a bad token', () => {
    const token = signJwt({ iss: 'microcosm', exp: seconds + 60 }, key);
    const other = new TextEncoder().encode('another-secret-that-is-32-bytes-long!!');
    expect(verifyJwt(token, other, { nowMs: NOW, issuer: 'microcosm' })).toEqual({ type: 'bad-signature' });
    expect(verifyJwt(token, key, { nowMs: NOW, issuer: 'someone-else' })).toEqual({ type: 'wrong-issuer' });
    expect(verifyJwt('a.b', key, { nowMs: NOW, issuer: 'microcosm' })).toEqual({ type: 'malformed' });
    expect(verifyJwt('x.y.z', key, { nowMs: NOW, issuer: 'microcosm' })).toEqual({ type: 'malformed' });
  });
});
