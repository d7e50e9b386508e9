import { describe, expect, it } from 'vitest';
import { badRequestOf as badRequest } from '../socket-faults.js';
import { DEFAULT_NATS_RECONNECT, resolveNatsOptions } from './connection.js';

describe('nats options', () => {
  it('reconnects for ever by default', () => {
    expect(resolveNatsOptions().reconnect).toEqual({ maxAttempts: Number.POSITIVE_INFINITY, waitMs: 2_000 });
    expect(resolveNatsOptions({ reconnect: { waitMs: 250 } }).reconnect).toEqual({
      ...DEFAULT_NATS_RECONNECT,
      waitMs: 250,
    });
  });

  it('rejects bad reconnect options at once, naming the property', () => {
    expect(badRequest(() => resolveNatsOptions({ reconnect: { maxAttempts: -1 } }))).toContain('reconnect.maxAttempts');
    expect(badRequest(() => resolveNatsOptions({ reconnect: { maxAttempts: 2.5 } }))).toContain(
      'reconnect.maxAttempts',
    );
    expect(badRequest(() => resolveNatsOptions({ reconnect: { waitMs: -5 } }))).toContain('reconnect.waitMs');
    expect(badRequest(() => resolveNatsOptions({ reconnect: { waitMs: Number.NaN } }))).toContain('reconnect.waitMs');
    expect(badRequest(() => resolveNatsOptions({ prefix: 'a b' }))).toContain('prefix');
  });
});
