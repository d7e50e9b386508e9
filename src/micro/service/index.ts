export { inProcessDefaults } from './defaults.js';
export { createService, type ServiceClientOptions, type ServiceOptions } from './service.js';
export type { MicroService, ServicePlugins } from './types.js';
