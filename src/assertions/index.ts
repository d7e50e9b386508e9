// Assertions: histories, linearizability checking, invariants. Matchers: './vitest.js'.
export * from './checker/check.js';
export * from './checker/explain.js';
export * from './checker/parallel.js';
export * from './generate.js';
export * from './history.js';
export * from './invariants/index.js';
export * from './jepsen/edn.js';
export * from './jepsen/format.js';
export * from './models/index.js';
export * from './recorder.js';
export * from './adapters/index.js';
