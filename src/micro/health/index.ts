export * from './checker.js';
export { healthHandler } from './handler.js';
export { healthySelector } from './selector.js';
export { type CallStats, callStats, RECENT_CALLS } from './stats.js';
export * from './types.js';
