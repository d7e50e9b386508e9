// The framework's public surface: `import { createService } from '@microcosm-ts/core'`.
export * from './client/index.js';
export * from './codec/index.js';
export * from './errors.js';
export { liveRuntime } from './live.js';
export * from './logger/index.js';
export * from './metadata/index.js';
export * from './registry/index.js';
export * from './runtime.js';
export * from './selector/index.js';
export * from './server/index.js';
export * from './service/index.js';
export { type ManualRuntime, manualRuntime } from './testing/manual-runtime.js';
export * from './transport/index.js';
