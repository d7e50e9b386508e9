// The framework: `import { createService } from '@microcosm-ts/core'`.
export * from './micro/index.js';
