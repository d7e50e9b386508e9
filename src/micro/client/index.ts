export { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { type BreakerOptions, type BreakerState, CircuitBreakers, DEFAULT_BREAKER } from './breaker.js';
export { createClient, RpcClient } from './client.js';
export { type ClientOptions, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, resolveClientOptions } from './options.js';
export type {
  BackoffOptions,
  CallOptions,
  Client,
  ClientPublishOptions,
  ClientRequest,
  ClientStream,
  ClientWrapper,
  Invoke,
  ProxyMethod,
  RequestKind,
  ResponseStream,
  ServiceProxy,
} from './types.js';
