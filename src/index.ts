// The framework: `import { createService } from '@microcosm-ts/core'`.

export * from './micro/auth/index.js';
export * from './micro/broker/index.js';
export * from './micro/cache/index.js';
export * from './micro/config/index.js';
export * from './micro/events/index.js';
export * from './micro/index.js';
export * from './micro/store/index.js';
export * from './micro/sync/index.js';
export * from './gateway/index.js';
