// The framework: `import { createService } from '@microcosm-ts/core'`.
export * from './micro/errors.js';
export { liveRuntime } from './micro/live.js';
export * from './micro/runtime.js';
export type * from './micro/transport/types.js';
