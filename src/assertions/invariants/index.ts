export * from './delivery.js';
export * from './fencing.js';
export * from './lost-writes.js';
export * from './registry.js';
export * from './slo.js';
export * from './types.js';
