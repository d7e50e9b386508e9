import { describe, expect, it } from 'vitest';
import { MicroError } from '../../micro/errors.js';
import { badRequestOf as badRequest } from '../socket-faults.js';
import { DEFAULT_REDIS_PREFIX, DEFAULT_REDIS_URL, redisError, resolveRedisOptions } from './connection.js';

describe('redis options', () => {
  it('fills every default', () => {
    expect(resolveRedisOptions()).toMatchObject({ url: DEFAULT_REDIS_URL, prefix: DEFAULT_REDIS_PREFIX });
  });

  it('rejects bad options, naming them', () => {
    expect(badRequest(() => resolveRedisOptions({ prefix: 'a b' }))).toContain('prefix');
    expect(badRequest(() => resolveRedisOptions({ prefix: 'keys*' }))).toContain('prefix');
    expect(badRequest(() => resolveRedisOptions({ url: 'http://x' }))).toContain('url');
    expect(badRequest(() => resolveRedisOptions({ commandTimeoutMs: -1 }))).toContain('commandTimeoutMs');
    expect(badRequest(() => resolveRedisOptions({ connectionName: 'has space' }))).toContain('connectionName');
  });
});

describe('redis errors', () => {
  it('calls a lost connection retryable UNAVAILABLE and a server reply error non-retryable INTERNAL', () => {
    const closed = redisError(new Error('Connection is closed.'), 'store get');
    expect([closed.code, closed.retryable, closed.detail]).toEqual([
      'UNAVAILABLE',
      true,
      'redis store get: Connection is closed.',
    ]);
    const reply = Object.assign(new Error('WRONGTYPE Operation against a key'), { name: 'ReplyError' });
    expect([redisError(reply, 'x').code, redisError(reply, 'x').retryable]).toEqual(['INTERNAL', false]);
    const loading = Object.assign(new Error('LOADING Redis is loading'), { name: 'ReplyError' });
    expect(redisError(loading, 'x').code).toBe('UNAVAILABLE');
    expect(redisError(new Error('Command timed out'), 'x').code).toBe('TIMEOUT');
    const own = new MicroError('CONFLICT', 'kept');
    expect(redisError(own, 'x')).toBe(own);
  });
});
