// Test helpers for vitest: `import { simTest } from '@microcosm-ts/core/vitest'` also registers
// the matchers (`toBeLinearizable`, `toHold`).
export * from './assertions/vitest.js';
export * from './fakes/sim-test.js';
// The presets a simTest body receives, so a test file needs one import.
export {
  type Cluster,
  createSimCluster,
  type SimCluster,
  type SimClusterOptions,
} from './fakes/cluster.js';
export { createLocalCluster, type LocalClusterOptions } from './fakes/local.js';
