// `@microcosm-ts/core/plugins/postgres`: the PostgreSQL plugins. See docs/architecture.md for
// the tables each one creates.
import { createStore, type StoreOptions } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { createSync, type SyncOptions } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { type PostgresLockOptions, postgresLockDriver } from './lock.js';
import { type PostgresStoreOptions, postgresStoreDriver } from './store.js';

export {
  DEFAULT_POSTGRES_POOL_SIZE,
  DEFAULT_POSTGRES_SCHEMA,
  DEFAULT_POSTGRES_TABLE_PREFIX,
  DEFAULT_POSTGRES_URL,
  type PostgresOptions,
  postgresError,
} from './connection.js';
export { DEFAULT_PG_LOCK_POLL_MS, type PostgresLockOptions, postgresLockDriver } from './lock.js';
export { DEFAULT_SWEEP_GRACE_MS, type PostgresStoreOptions, postgresStoreDriver } from './store.js';

/** A {@link Store} on PostgreSQL: `createStore` over {@link postgresStoreDriver}, sharing one runtime. */
export function postgresStore(options: PostgresStoreOptions & Omit<StoreOptions, 'driver'> = {}): Store {
  const { database, table, maxValueBytes, ...driverOptions } = options;
  return createStore({
    driver: postgresStoreDriver(driverOptions),
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(database === undefined ? {} : { database }),
    ...(table === undefined ? {} : { table }),
    ...(maxValueBytes === undefined ? {} : { maxValueBytes }),
  });
}

/** A {@link Sync} on PostgreSQL: `createSync` over {@link postgresLockDriver}. */
export function postgresSync(options: PostgresLockOptions & Omit<SyncOptions, 'runtime'> = {}): Sync {
  const { holder, onEvent, ...driverOptions } = options;
  return createSync(postgresLockDriver(driverOptions), {
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(holder === undefined ? {} : { holder }),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}
