import { describe, expect, it } from 'vitest';
import { conflict, isMicroError, MicroError, notFound, timeout, toMicroError } from './errors.js';

describe('errors', () => {
  it('carry code, status and retryability', () => {
    const e = notFound('no such user', { id: 'users' });
    expect([e.code, e.status, e.id, e.retryable]).toEqual(['NOT_FOUND', 404, 'users', false]);
    expect(timeout('slow').retryable).toBe(true);
  });

  it('round-trip through their wire form', () => {
    const back = MicroError.from(JSON.parse(JSON.stringify(conflict('revision 3 != 4', { id: 'store' }))));
    expect(isMicroError(back)).toBe(true);
    expect(back.toJSON()).toEqual({
      id: 'store',
      code: 'CONFLICT',
      detail: 'revision 3 != 4',
      status: 409,
      retryable: false,
    });
  });

  it('hide unexpected exceptions behind an internal error', () => {
    const e = toMicroError(new TypeError('secret stack detail'), 'orders');
    expect([e.code, e.detail, e.id]).toEqual(['INTERNAL', 'internal error', 'orders']);
    expect(MicroError.from({ nonsense: true }).code).toBe('INTERNAL');
  });

  it('are recognised across realms by brand, not instanceof', () => {
    const foreign = { [Symbol.for('microcosm.error')]: true };
    expect(isMicroError(foreign)).toBe(true);
    expect(isMicroError(new Error('plain'))).toBe(false);
  });
});
