/**
 * createCache: the {@link Cache} API over any {@link Store} — values become JSON bytes, TTLs
 * become store TTLs — so every store backend (memory, the simulated fake, Redis…) is a cache
 * too, with one implementation of the cache's rules.
 */
import { badRequest } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { memoryStore } from '../store/memory.js';
import type { Store } from '../store/types.js';
import { checkKey, checkTtl, describeValue } from '../store/validate.js';
import { checkJson } from './json.js';
import { type Cache, type CacheSetOptions, type JsonValue, MAX_CACHE_KEY_LENGTH } from './types.js';

/** The table a cache keeps its entries in when built over a shared store. */
export const DEFAULT_CACHE_TABLE = 'cache';

export interface CacheOptions {
  /** Where entries live. Default: a fresh memory store on `runtime`. */
  readonly store?: Store;
  /** Clock of the default memory store. Default: liveRuntime. Ignored when `store` is given. */
  readonly runtime?: Runtime;
  /** TTL of entries set without one, in ms. Default: undefined (never expire). */
  readonly defaultTtlMs?: number;
}

export interface CacheConfig {
  readonly store: Store;
  readonly defaultTtlMs: number | undefined;
}

export function resolveCacheOptions(options: CacheOptions): CacheConfig {
  const defaultTtlMs = checkTtl('createCache', options.defaultTtlMs, 'defaultTtlMs');
  if (options.store !== undefined && typeof options.store.read !== 'function')
    throw badRequest(`createCache: store must be a Store, got ${describeValue(options.store)}`);
  const store =
    options.store?.withScope({ table: DEFAULT_CACHE_TABLE }) ??
    memoryStore({ table: DEFAULT_CACHE_TABLE, ...(options.runtime ? { runtime: options.runtime } : {}) });
  return { store, defaultTtlMs };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createCache(options: CacheOptions = {}): Cache {
  const { store, defaultTtlMs } = resolveCacheOptions(options);
  const key = (op: string, k: unknown) => checkKey(op, k, MAX_CACHE_KEY_LENGTH);
  return {
    async get(k) {
      const record = await store.read(key('cache.get', k));
      return record && (JSON.parse(decoder.decode(record.value)) as JsonValue);
    },
    async set(k, value, setOptions: CacheSetOptions = {}) {
      const name = key('cache.set', k);
      const ttlMs = checkTtl('cache.set', setOptions.ttlMs) ?? defaultTtlMs;
      const bytes = encoder.encode(JSON.stringify(checkJson(`cache.set "${name}"`, value)));
      await store.write({ key: name, value: bytes }, ttlMs === undefined ? {} : { ttlMs });
    },
    async delete(k) {
      const result = await store.delete(key('cache.delete', k));
      return result.type === 'ok' && result.deleted;
    },
    close: () => store.close(),
  };
}

/** A cache held in this process's memory. */
export function memoryCache(options: Omit<CacheOptions, 'store'> = {}): Cache {
  return createCache(options);
}
