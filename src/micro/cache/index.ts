// Cache: the contract, createCache over any Store, the in-process version.
export {
  type CacheConfig,
  type CacheOptions,
  createCache,
  DEFAULT_CACHE_TABLE,
  memoryCache,
  resolveCacheOptions,
} from './cache.js';
export * from './types.js';
