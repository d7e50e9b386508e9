// The conformance suites: `import { storeConformance } from '@microcosm-ts/core/conformance'`.
// One line per suite; append yours.

export * from './auth.js';
export * from './broker.js';
export * from './cache.js';
export * from './config.js';
export * from './events.js';
export * from './expect.js';
export * from './registry.js';
export * from './store.js';
export * from './support.js';
export * from './sync.js';
export * from './transport.js';
