// `@microcosm-ts/core/plugins/nats`: the NATS plugins. See docs/architecture.md for the layout.
import { createStore, type StoreOptions } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { type NatsStoreOptions, natsStoreDriver } from './store.js';

export { HEADERS_HEADER, ID_HEADER, type NatsBrokerOptions, natsBroker } from './broker.js';
export { DEFAULT_NATS_PREFIX, DEFAULT_NATS_URL, type NatsOptions, natsError } from './connection.js';
export { type NatsEventsOptions, natsEvents } from './events.js';
export { jetStreamName } from './names.js';
export { encodeKey, type NatsStoreOptions, natsStoreDriver } from './store.js';

/** A {@link Store} on JetStream KV: `createStore` over {@link natsStoreDriver}. */
export function natsStore(options: NatsStoreOptions & Omit<StoreOptions, 'driver'> = {}): Store {
  const { database, table, maxValueBytes, runtime, ...driverOptions } = options;
  return createStore({
    driver: natsStoreDriver(driverOptions),
    ...(runtime ? { runtime } : {}),
    ...(database === undefined ? {} : { database }),
    ...(table === undefined ? {} : { table }),
    ...(maxValueBytes === undefined ? {} : { maxValueBytes }),
  });
}
export { type NatsConfigSourceOptions, natsConfigSource } from './config.js';
export {
  DEFAULT_NATS_REGISTRY_TTL_MS,
  DEFAULT_NATS_WATCH_POLL_MS,
  type NatsRegistryOptions,
  natsRegistry,
} from './registry.js';
