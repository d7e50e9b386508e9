// The deterministic simulation kernel: `import { createSim } from '@microcosm-ts/core/sim'`.
export { DeterminismViolationError, isSimError, SimError, type SimErrorCode } from './errors.js';
export {
  applyRules,
  deliver,
  drop,
  type FaultRule,
  type FaultVerdict,
  type LinkState,
  pass,
  type RuleContext,
  type RuleMessage,
} from './faults.js';
export { SimTimeout } from './globals.js';
export { type HttpRoute, routeHttpHost } from './http-routes.js';
export { createSim } from './kernel.js';
export { DEFAULT_LATENCY, type LatencyDistribution } from './latency.js';
export { DEFAULT_REORDER_WINDOW_MS } from './network.js';
export {
  DEFAULT_MAX_EVENTS_PER_INSTANT,
  DEFAULT_MICROTASK_TURNS,
  DEFAULT_RESOLUTION_MS,
  DEFAULT_RUN_LIMIT_MS,
  DEFAULT_START_TIME,
  resolveSimOptions,
  type SimConfig,
  type SimOptions,
} from './options.js';
export { createRandom, type RandomStream, randomUuid } from './random.js';
export * from './trace.js';
export type * from './types.js';
