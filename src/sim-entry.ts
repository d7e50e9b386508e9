// The simulator, fakes, scenarios and assertions: `import { createSim } from '@microcosm-ts/core/sim'`.

export * from './assertions/index.js';
export * from './fakes/auth.js';
export * from './fakes/broker.js';
export * from './fakes/cache.js';
export * from './fakes/cluster.js';
export * from './fakes/config.js';
export * from './fakes/driven.js';
export * from './fakes/events.js';
export * from './fakes/http.js';
export * from './fakes/local.js';
export * from './fakes/record-hooks.js';
export * from './fakes/registry.js';
export * from './fakes/store.js';
export * from './fakes/sync.js';
export * from './fakes/sim-address.js';
export * from './fakes/transport.js';
export { CODEC_MODES, type CodecMode, DEFAULT_CODEC_MODE, DEFAULT_CODEC_SAMPLE_RATE } from './fakes/codec-sampling.js';
export * from './gateway/sim.js';
export * from './scenarios/index.js';
export * from './sim/index.js';
