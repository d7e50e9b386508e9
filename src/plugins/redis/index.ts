// `@microcosm-ts/core/plugins/redis`: the Redis plugins. See docs/architecture.md for the
// on-wire layout of each.
import { createStore, type StoreOptions } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { createSync, type SyncOptions } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { type RedisLockOptions, redisLockDriver } from './lock.js';
import { type RedisStoreOptions, redisStoreDriver } from './store.js';

export { DEFAULT_BROKER_MAX_LEN, type RedisBrokerOptions, redisBroker } from './broker.js';
export { type RedisCacheOptions, redisCache } from './cache.js';
export {
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_CONNECTION_NAME,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REDIS_URL,
  type RedisOptions,
  redisError,
} from './connection.js';
export { type RedisEventsOptions, redisEvents } from './events.js';
export { DEFAULT_LOCK_POLL_MS, type RedisLockOptions, redisLockDriver } from './lock.js';
export {
  DEFAULT_REDIS_REGISTRY_TTL_MS,
  DEFAULT_WATCH_POLL_MS,
  type RedisRegistryOptions,
  redisRegistry,
} from './registry.js';
export { DEFAULT_EXPIRY_GRACE_MS, type RedisStoreOptions, redisStoreDriver } from './store.js';

/** A {@link Store} on Redis: `createStore` over {@link redisStoreDriver}, sharing one runtime. */
export function redisStore(options: RedisStoreOptions & Omit<StoreOptions, 'driver'> = {}): Store {
  const { database, table, maxValueBytes, ...driverOptions } = options;
  return createStore({
    driver: redisStoreDriver(driverOptions),
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(database === undefined ? {} : { database }),
    ...(table === undefined ? {} : { table }),
    ...(maxValueBytes === undefined ? {} : { maxValueBytes }),
  });
}

/** A {@link Sync} on Redis: `createSync` over {@link redisLockDriver}. */
export function redisSync(options: RedisLockOptions & Omit<SyncOptions, 'runtime'> = {}): Sync {
  const { holder, onEvent, ...driverOptions } = options;
  return createSync(redisLockDriver(driverOptions), {
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(holder === undefined ? {} : { holder }),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}
