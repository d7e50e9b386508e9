// Events: the contract and the in-process version.
export type { EventsEvent, GroupPosition, PositionListener } from './group.js';
export {
  DEFAULT_PUBLISH_ATTEMPTS,
  type IdempotentPublisher,
  type IdempotentPublisherOptions,
  idempotentPublisher,
} from './idempotent.js';
export {
  type GroupPositions,
  type MemoryEvents,
  type MemoryEventsOptions,
  memoryEvents,
  type StoredRecord,
} from './memory.js';
export { checkDedup, resolveConsumeOptions, resolveReadOptions } from './options.js';
export * from './types.js';
