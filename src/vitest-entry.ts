// Test helpers for vitest: `import { simTest } from '@microcosm-ts/core/vitest'` also registers
// the matchers (`toBeLinearizable`, `toHold`).
export * from './assertions/vitest.js';
export * from './fakes/sim-test.js';
