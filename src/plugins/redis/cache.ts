/**
 * The Redis {@link Cache}: native strings with native expiry — `SET key json PX ttl`, `GET`,
 * `DEL` — one round trip each, readable by any Redis client as `<prefix>:cache:<key>`.
 *
 * Unlike `createCache` over a store, entries expire on the Redis server's clock (ms precision),
 * not on an injected runtime: in a simulation use the memory cache; this one runs on real time.
 */
import { checkJson } from '../../micro/cache/json.js';
import { type Cache, type JsonValue, MAX_CACHE_KEY_LENGTH } from '../../micro/cache/types.js';
import { unavailable } from '../../micro/errors.js';
import { checkKey, checkTtl } from '../../micro/store/validate.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';

export interface RedisCacheOptions extends RedisOptions {
  /** TTL of entries set without one, in ms. Default: undefined (never expire). */
  readonly defaultTtlMs?: number;
}

export function redisCache(options: RedisCacheOptions = {}): Cache {
  const config = resolveRedisOptions(options);
  const defaultTtlMs = checkTtl('redisCache', options.defaultTtlMs, 'defaultTtlMs');
  const connection = openRedis(config);
  const { redis } = connection;
  let closed = false;
  const key = (op: string, k: unknown) => {
    if (closed) throw unavailable(`${op}: cache is closed`);
    return `${config.prefix}:cache:${checkKey(op, k, MAX_CACHE_KEY_LENGTH)}`;
  };

  return {
    async get(k) {
      const name = key('cache.get', k);
      const text = await attempt('cache get', () => redis.get(name));
      return text === null ? undefined : (JSON.parse(text) as JsonValue);
    },
    async set(k, value, setOptions = {}) {
      const name = key('cache.set', k);
      const ttlMs = checkTtl('cache.set', setOptions.ttlMs) ?? defaultTtlMs;
      const json = JSON.stringify(checkJson(`cache.set "${k}"`, value));
      await attempt('cache set', () =>
        ttlMs === undefined ? redis.set(name, json) : redis.set(name, json, 'PX', Math.max(1, Math.round(ttlMs))),
      );
    },
    async delete(k) {
      const name = key('cache.delete', k);
      return (await attempt('cache delete', () => redis.del(name))) === 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      await connection.close();
    },
  };
}
