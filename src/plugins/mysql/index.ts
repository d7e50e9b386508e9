// `@microcosm-ts/core/plugins/mysql`: the MariaDB / MySQL plugins. See docs/architecture.md for
// the tables each one creates.
import { createStore, type StoreOptions } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { createSync, type SyncOptions } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { type MysqlLockOptions, mysqlLockDriver } from './lock.js';
import { type MysqlStoreOptions, mysqlStoreDriver } from './store.js';

export {
  DEFAULT_MYSQL_POOL_SIZE,
  DEFAULT_MYSQL_TABLE_PREFIX,
  DEFAULT_MYSQL_URL,
  type MysqlOptions,
  mysqlError,
} from './connection.js';
export { DEFAULT_MYSQL_LOCK_POLL_MS, type MysqlLockOptions, mysqlLockDriver } from './lock.js';
export { DEFAULT_SWEEP_GRACE_MS, type MysqlStoreOptions, mysqlStoreDriver } from './store.js';

/** A {@link Store} on MariaDB / MySQL: `createStore` over {@link mysqlStoreDriver}, sharing one runtime. */
export function mysqlStore(options: MysqlStoreOptions & Omit<StoreOptions, 'driver'> = {}): Store {
  const { database, table, maxValueBytes, ...driverOptions } = options;
  return createStore({
    driver: mysqlStoreDriver(driverOptions),
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(database === undefined ? {} : { database }),
    ...(table === undefined ? {} : { table }),
    ...(maxValueBytes === undefined ? {} : { maxValueBytes }),
  });
}

/** A {@link Sync} on MariaDB / MySQL: `createSync` over {@link mysqlLockDriver}. */
export function mysqlSync(options: MysqlLockOptions & Omit<SyncOptions, 'runtime'> = {}): Sync {
  const { holder, onEvent, ...driverOptions } = options;
  return createSync(mysqlLockDriver(driverOptions), {
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(holder === undefined ? {} : { holder }),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}
