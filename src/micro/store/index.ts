// Store: the contract, createStore over a StoreDriver, the in-process version.
export { MemoryStoreDriver, type MemoryStoreOptions, memoryStore } from './memory.js';
export { checkScope, createStore, resolveStoreOptions, type StoreConfig, type StoreOptions } from './store.js';
export * from './types.js';
