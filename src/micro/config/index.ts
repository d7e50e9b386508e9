// Config: the contract, createConfig, and the sources (defaults, memory, env, file, store-backed).
export { type ConfigOptions, createConfig, describeIssues } from './config.js';
export { CONFIG_FORMATS, type ConfigFormat, parseDocument } from './document.js';
export { DEFAULT_FILE_POLL_MS, type FileSourceOptions, fileSource } from './file.js';
export {
  DEFAULT_ENV_SEPARATOR,
  defaultsSource,
  type EnvSourceOptions,
  envSource,
  type MemorySource,
  memorySource,
} from './sources.js';
export { DEFAULT_STORE_POLL_MS, type StoreSourceOptions, storeSource } from './store-source.js';
export * from './types.js';
