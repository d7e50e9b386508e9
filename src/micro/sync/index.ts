// Sync: the contract, createSync over a LockDriver, the in-process version, fencing helpers.
export * from './fenced.js';
export { type MemorySyncOptions, memorySync } from './memory.js';
export { type LockServiceEvent, type MemoryLockDriverOptions, memoryLockDriver } from './memory-driver.js';
export { createSync, type SyncClientEvent, type SyncOptions } from './sync.js';
export * from './types.js';
