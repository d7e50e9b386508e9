// The framework: `import { createService } from '@microcosm-ts/core'`.

export * from './micro/broker/index.js';
export * from './micro/events/index.js';
export * from './micro/index.js';
export * from './micro/sync/index.js';
