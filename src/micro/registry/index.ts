export { DEFAULT_REGISTRY_TTL_MS, MemoryRegistry, type MemoryRegistryOptions, memoryRegistry } from './memory.js';
export type {
  Endpoint,
  RegisterOptions,
  Registry,
  RegistryEvent,
  RegistryEventType,
  Service,
  ServiceNode,
  WatchOptions,
} from './types.js';
