// The simulator, fakes, scenarios and assertions: `import { createSim } from '@microcosm-ts/core/sim'`.

export * from './fakes/registry.js';
export * from './fakes/transport.js';
export * from './scenarios/index.js';
export * from './sim/index.js';
