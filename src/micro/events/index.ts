// Events: the contract and the in-process version.
export type { EventsEvent } from './group.js';
export { type MemoryEvents, type MemoryEventsOptions, memoryEvents } from './memory.js';
export { resolveConsumeOptions, resolveReadOptions } from './options.js';
export * from './types.js';
