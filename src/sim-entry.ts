// The simulator, fakes, scenarios and assertions: `import { createSim } from '@microcosm-ts/core/sim'`.
export * from './sim/index.js';
