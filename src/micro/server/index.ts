export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_REGISTER_TTL_MS,
  DEFAULT_VERSION,
  resolveServerOptions,
  type ServerOptions,
} from './options.js';
export { createServer, RpcServer } from './server.js';
export type {
  HandleOptions,
  HandlerFn,
  HandlerWrapper,
  Server,
  ServerRequest,
  Subscriber,
  SubscriberOptions,
} from './types.js';
