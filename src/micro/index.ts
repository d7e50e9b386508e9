// The framework's public surface: `import { createService } from '@microcosm-ts/core'`.

// The other interfaces' contracts (implemented beside them in src/micro/<name>/).
export type { Auth } from './auth/types.js';
export type { Broker, BrokerMessage, ReceivedMessage, Subscription } from './broker/types.js';
export type { Cache } from './cache/types.js';
export * from './client/index.js';
export * from './codec/index.js';
export type { Config } from './config/types.js';
export * from './errors.js';
export type { Events } from './events/types.js';
export { liveRuntime } from './live.js';
export * from './logger/index.js';
export * from './metadata/index.js';
export * from './registry/index.js';
export * from './runtime.js';
export * from './selector/index.js';
export * from './server/index.js';
export * from './service/index.js';
export type { Store, StoreRecord } from './store/types.js';
export type { Sync } from './sync/types.js';
export { type ManualRuntime, manualRuntime } from './testing/manual-runtime.js';
export * from './transport/index.js';
export * from './health/index.js';
