export { DEFAULT_RING_POINTS, fnv1a, HashRing } from './hash-ring.js';
export {
  createSelector,
  DEFAULT_AVOID_MS,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_STRATEGY,
  RegistrySelector,
  resolveSelectorOptions,
  type SelectorOptions,
} from './selector.js';
export {
  filterMetadata,
  filterVersion,
  type NodeFilter,
  type Selection,
  type SelectOptions,
  type Selector,
  STRATEGIES,
  type Strategy,
} from './types.js';
