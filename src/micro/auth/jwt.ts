/**
 * HS256 JWTs, signed and verified synchronously with node:crypto's HMAC, parsed with `jose`.
 *
 * Why not `jose`'s SignJWT/jwtVerify: they run on WebCrypto, whose promises settle on a real
 * thread-pool callback. Inside a simulation that is real asynchronous work: virtual time runs
 * on while the signature is computed, so how far it gets depends on the machine — a determinism
 * leak (and calls time out under load). A synchronous HMAC is a pure function of its inputs.
 * The tokens are standard: `jwt.test.ts` checks that `jose` verifies ours and we verify its.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';

export const JWT_ALGORITHM = 'HS256';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const hmac = (key: Uint8Array, input: string) => createHmac('sha256', key).update(input).digest();

/** A compact HS256 JWS of `payload` (times are the caller's, in seconds, as JWT wants). */
export function signJwt(payload: JWTPayload, key: Uint8Array): string {
  const input = `${base64url(JSON.stringify({ alg: JWT_ALGORITHM, typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(hmac(key, input))}`;
}

export type JwtFailure = 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'wrong-issuer';

export type JwtCheck = { readonly type: 'valid'; readonly payload: JWTPayload } | { readonly type: JwtFailure };

/**
 * Verify signature, issuer, `exp` and `nbf` against `nowMs` (the runtime clock). Valid while
 * `floor(nowMs / 1000) < exp`, the way jose counts.
 */
export function verifyJwt(token: string, key: Uint8Array, options: { nowMs: number; issuer: string }): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { type: 'malformed' };
  let payload: JWTPayload;
  try {
    if (decodeProtectedHeader(token).alg !== JWT_ALGORITHM) return { type: 'malformed' };
    payload = decodeJwt(token);
  } catch {
    return { type: 'malformed' };
  }
  const expected = hmac(key, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2] ?? '', 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { type: 'bad-signature' };
  if (payload.iss !== options.issuer) return { type: 'wrong-issuer' };
  const now = Math.floor(options.nowMs / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= now) return { type: 'expired' };
  if (typeof payload.nbf === 'number' && payload.nbf > now) return { type: 'not-yet-valid' };
  return { type: 'valid', payload };
}
