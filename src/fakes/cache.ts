/**
 * The cache as infrastructure: a store node (default name `cache`) holding the entries, and
 * on each service node a Cache over a client of it — the same `createCache` rules as memory,
 * with TTLs on the cache node's clock and every call a simulated network round trip.
 */
import { type CacheOptions, createCache } from '../micro/cache/cache.js';
import type { Cache } from '../micro/cache/types.js';
import type { Sim } from '../sim/index.js';
import type { RemotePort } from './remote.js';
import { type StoreNode, storeNode } from './store.js';

export const DEFAULT_CACHE_NODE = 'cache';

export interface CacheNodeOptions {
  /** Default: {@link DEFAULT_CACHE_NODE}. */
  readonly name?: string;
}

export interface CacheClientOptions {
  /** TTL of entries set without one. Default: never expire. */
  readonly defaultTtlMs?: number;
  /** How long a call waits for the node's reply, on the client's clock. Default: remote's (1 000 ms). */
  readonly timeoutMs?: number;
}

export interface CacheNode {
  readonly name: string;
  /** The underlying store node (for fixtures: `store.direct()`). */
  readonly store: StoreNode;
  client(ctx: RemotePort, options?: CacheClientOptions): Cache;
}

export function cacheNode(sim: Sim, options: CacheNodeOptions = {}): CacheNode {
  const name = options.name ?? DEFAULT_CACHE_NODE;
  const store = storeNode(sim, { name });
  return {
    name,
    store,
    client(ctx, clientOptions = {}) {
      const { defaultTtlMs, timeoutMs } = clientOptions;
      const cacheOptions: CacheOptions = {
        store: store.client(ctx, timeoutMs === undefined ? {} : { timeoutMs }),
        ...(defaultTtlMs === undefined ? {} : { defaultTtlMs }),
      };
      return createCache(cacheOptions);
    },
  };
}
