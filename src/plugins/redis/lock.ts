/**
 * The Redis {@link LockDriver}: leases with fencing tokens, under the shared `createSync`.
 *
 * Layout: a lease is a hash `<prefix>:sync:<name>` {holder, token} with a PEXPIRE of the
 * lease's TTL, so Redis frees it on its own clock; tokens come from a counter
 * `<prefix>:sync:<name>:token` (INCR, never expires), so every grant of a name carries a token
 * greater than every earlier one. Acquire, refresh and release are Lua scripts: check and
 * change happen atomically on the server, and refresh/release act only for the matching token.
 *
 * Waiting (`waitMs > 0`) polls every {@link DEFAULT_LOCK_POLL_MS}, so a freed name is granted
 * within one poll; no fairness between waiters is promised.
 */
import { unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, sleep } from '../../micro/runtime.js';
import type { LockDriver } from '../../micro/sync/types.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';
import { luaScript } from './script.js';

export interface RedisLockOptions extends RedisOptions {
  /** Timers for polling while waiting, and the clock for `waitedMs`. Default: the live runtime. */
  readonly runtime?: Runtime;
  /** How often a waiting `acquire` retries. Default: {@link DEFAULT_LOCK_POLL_MS}. */
  readonly pollMs?: number;
}

export const DEFAULT_LOCK_POLL_MS = 20;

const ACQUIRE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token
`);

const REFRESH = luaScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`);

const RELEASE = luaScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`);

export function redisLockDriver(options: RedisLockOptions = {}): LockDriver {
  const config = resolveRedisOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const pollMs = options.pollMs ?? DEFAULT_LOCK_POLL_MS;
  const connection = openRedis(config);
  const { redis } = connection;
  const leaseKey = (name: string) => `${config.prefix}:sync:${name}`;
  const closing = new AbortController();

  return {
    async acquire({ name, holder, ttlMs, waitMs }) {
      const started = runtime.clock.now();
      for (;;) {
        const sentAt = runtime.clock.now();
        const token = Number(
          await attempt('lock acquire', () =>
            ACQUIRE.run(redis, [leaseKey(name), `${leaseKey(name)}:token`], [holder, Math.ceil(ttlMs)]),
          ),
        );
        if (token > 0) return { type: 'acquired', token, waitedMs: sentAt - started };
        const left = started + waitMs - runtime.clock.now();
        if (left <= 0) return { type: 'timeout' };
        await sleep(runtime, Math.min(pollMs, left), closing.signal).catch(() => {
          throw unavailable('redis lock: closed while waiting');
        });
      }
    },

    refresh: (name, token, ttlMs) =>
      attempt('lock refresh', async () => {
        const reply = await REFRESH.run(redis, [leaseKey(name)], [token, Math.ceil(ttlMs)]);
        return Number(reply) === 1;
      }),

    release: (name, token) =>
      attempt('lock release', async () => {
        await RELEASE.run(redis, [leaseKey(name)], [token]);
      }),

    holder: (name) =>
      attempt('lock holder', async () => {
        const [holder, token] = await redis.hmget(leaseKey(name), 'holder', 'token');
        return holder == null || token == null ? undefined : { holder, token: Number(token) };
      }),

    async close() {
      closing.abort();
      await connection.close();
    },
  };
}
