import { describe, expect, it } from 'vitest';
import { badRequestOf as badRequest } from '../socket-faults.js';
import { DEFAULT_RABBITMQ_RECONNECT, resolveRabbitOptions } from './options.js';

describe('rabbitmq options', () => {
  it('fills every reconnect default, unbounded attempts included', () => {
    expect(resolveRabbitOptions().reconnect).toEqual({
      baseMs: 100,
      maxMs: 5_000,
      maxAttempts: Number.POSITIVE_INFINITY,
    });
    expect(resolveRabbitOptions({ reconnect: { maxAttempts: 3 } }).reconnect).toEqual({
      ...DEFAULT_RABBITMQ_RECONNECT,
      maxAttempts: 3,
    });
  });

  it('rejects bad reconnect options at once, naming the property', () => {
    expect(badRequest(() => resolveRabbitOptions({ reconnect: { baseMs: 0 } }))).toContain('reconnect.baseMs');
    expect(badRequest(() => resolveRabbitOptions({ reconnect: { baseMs: Number.NaN } }))).toContain('reconnect.baseMs');
    expect(badRequest(() => resolveRabbitOptions({ reconnect: { baseMs: 500, maxMs: 100 } }))).toContain(
      'reconnect.maxMs',
    );
    expect(badRequest(() => resolveRabbitOptions({ reconnect: { maxMs: Number.POSITIVE_INFINITY } }))).toContain(
      'reconnect.maxMs',
    );
    expect(badRequest(() => resolveRabbitOptions({ reconnect: { maxAttempts: -1 } }))).toContain(
      'reconnect.maxAttempts',
    );
    expect(badRequest(() => resolveRabbitOptions({ reconnect: { maxAttempts: 1.5 } }))).toContain(
      'reconnect.maxAttempts',
    );
    expect(badRequest(() => resolveRabbitOptions({ prefetch: 0 }))).toContain('prefetch');
    expect(badRequest(() => resolveRabbitOptions({ connectTimeoutMs: 0 }))).toContain('connectTimeoutMs');
  });
});
