export * from './from-history.js';
export * from './from-trace.js';
