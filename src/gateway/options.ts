/** The gateway's options (partial, with defaults beside each field) and their one resolver. */
import type { Client } from '../micro/client/types.js';
import type { Runtime } from '../micro/runtime.js';
import type { RateLimit } from './rate-limit.js';

export interface Route {
  /** HTTP method, upper-case. Default: 'POST'. */
  readonly method?: string;
  /** Exact path, e.g. '/checkout'. Required. */
  readonly path: string;
  /** The service to call (the namespace is not applied to routes). Required. */
  readonly service: string;
  /** `Handler.Method`. Required. */
  readonly endpoint: string;
  /** Answer with Server-Sent Events from a server stream. Default: false. */
  readonly stream?: boolean;
  /** Default: the gateway's `rateLimit`, if any. */
  readonly rateLimit?: RateLimit;
  /** Call budget. Default: the gateway's `timeoutMs`. */
  readonly timeoutMs?: number;
}

export interface GatewayOptions {
  /** The client calls go out on (a service's client). Required. */
  readonly client: Client;
  /** The clock rate limits run on. Required: the service's runtime. */
  readonly runtime: Runtime;
  readonly routes?: readonly Route[]; // default: none
  /** Prefix for services named in the generic path: `/greeter/…` calls `{namespace}.greeter`. Default: '' (none). */
  readonly namespace?: string;
  /** Serve `POST /{service}/{Handler.Method}`. Default: true. */
  readonly rpcPaths?: boolean;
  /** A limit for every route and for each service of the generic path. Default: none. */
  readonly rateLimit?: RateLimit;
  readonly timeoutMs?: number; // default: DEFAULT_GATEWAY_TIMEOUT_MS
  readonly maxBodyBytes?: number; // default: DEFAULT_MAX_BODY_BYTES
}

export const DEFAULT_GATEWAY_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

export interface ResolvedRoute {
  readonly method: string;
  readonly path: string;
  readonly service: string;
  readonly endpoint: string;
  readonly stream: boolean;
  readonly rateLimit: RateLimit | undefined;
  readonly timeoutMs: number;
}

export interface GatewayConfig {
  readonly client: Client;
  readonly runtime: Runtime;
  readonly routes: readonly ResolvedRoute[];
  readonly namespace: string;
  readonly rpcPaths: boolean;
  readonly rateLimit: RateLimit | undefined;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

const ENDPOINT = /^[A-Za-z_][\w]*\.[A-Za-z_][\w]*$/;

export function resolveGatewayOptions(options: GatewayOptions): GatewayConfig {
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!(value > 0)) throw new TypeError(`gateway: ${name} must be a number > 0, got ${value}`);
    return value;
  };
  const timeoutMs = positive('timeoutMs', options.timeoutMs, DEFAULT_GATEWAY_TIMEOUT_MS);
  const seen = new Set<string>();
  const routes = (options.routes ?? []).map((route, i): ResolvedRoute => {
    const where = `gateway: routes[${i}]`;
    if (typeof route.path !== 'string' || !route.path.startsWith('/'))
      throw new TypeError(`${where}.path must start with "/", got ${JSON.stringify(route.path)}`);
    if (typeof route.service !== 'string' || route.service === '')
      throw new TypeError(`${where}.service must be a non-empty string`);
    if (typeof route.endpoint !== 'string' || !ENDPOINT.test(route.endpoint))
      throw new TypeError(`${where}.endpoint must look like "Handler.Method", got ${JSON.stringify(route.endpoint)}`);
    const method = (route.method ?? 'POST').toUpperCase();
    const key = `${method} ${route.path}`;
    if (seen.has(key)) throw new TypeError(`${where}: "${key}" is routed twice`);
    seen.add(key);
    return {
      method,
      path: route.path,
      service: route.service,
      endpoint: route.endpoint,
      stream: route.stream ?? false,
      rateLimit: route.rateLimit ?? options.rateLimit,
      timeoutMs: positive(`routes[${i}].timeoutMs`, route.timeoutMs, timeoutMs),
    };
  });
  return {
    client: options.client,
    runtime: options.runtime,
    routes,
    namespace: options.namespace ?? '',
    rpcPaths: options.rpcPaths ?? true,
    rateLimit: options.rateLimit,
    timeoutMs,
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
  };
}
