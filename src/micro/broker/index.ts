// Broker: the contract, the in-process version and name validation.
export { type BrokerEvent, type MemoryBroker, type MemoryBrokerOptions, memoryBroker } from './memory.js';
export { resolveSubscribeOptions } from './options.js';
export { MAX_NAME_LENGTH, validateName, validateTopic } from './topic.js';
export * from './types.js';
