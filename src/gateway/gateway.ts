/** createGateway: HTTP requests → RPC calls through a service's client (contract in types.ts). */
import { AUTHORIZATION } from '../micro/auth/wrappers.js';
import { MicroError, type MicroErrorData, toMicroError } from '../micro/errors.js';
import type { Metadata } from '../micro/metadata/types.js';
import { type GatewayConfig, type GatewayOptions, type ResolvedRoute, resolveGatewayOptions } from './options.js';
import { type TokenBucket, tokenBucket } from './rate-limit.js';
import { resolveTarget } from './resolve-target.js';
import { sseEvents } from './sse.js';
import { httpStatusOf } from './status.js';
import type { Gateway, GatewayRequest, GatewayResponse, GatewayStats } from './types.js';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

function reply(status: number, value: unknown, headers: Record<string, string> = {}): GatewayResponse {
  return { type: 'reply', status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(value) };
}

function errorReply(status: number, error: MicroErrorData, headers: Record<string, string> = {}): GatewayResponse {
  return reply(status, { error }, headers);
}

function fail(status: number, code: MicroError['code'], detail: string, headers?: Record<string, string>) {
  return errorReply(status, new MicroError(code, detail).toJSON(), headers);
}

/** The call's metadata: the bearer token for the auth wrapper, and any `micro-*` header without its prefix. */
function metadataOf(headers: Readonly<Record<string, string>>): Metadata {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === AUTHORIZATION) metadata[AUTHORIZATION] = value;
    else if (name.startsWith('micro-') && name.length > 6) metadata[name.slice(6)] = value;
  }
  return metadata;
}

export function createGateway(options: GatewayOptions): Gateway {
  const config: GatewayConfig = resolveGatewayOptions(options);
  const buckets = new Map<string, TokenBucket>();
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let rateLimited = 0;

  const bucketFor = (key: string, route: ResolvedRoute) => {
    if (route.rateLimit === undefined) return undefined;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = tokenBucket(route.rateLimit, config.runtime.clock)));
    return bucket;
  };

  async function serve(request: GatewayRequest): Promise<GatewayResponse> {
    const method = request.method.toUpperCase();
    const target = resolveTarget(config, method, request.path);
    if (target.type === 'not-found') return fail(404, 'NOT_FOUND', `gateway: no route for ${method} ${request.path}`);
    if (target.type === 'method-not-allowed')
      return fail(405, 'BAD_REQUEST', `gateway: ${request.path} takes ${target.allowed.join(', ')}`, {
        allow: target.allowed.join(', '),
      });
    const { route, key } = target;
    const admission = bucketFor(key, route)?.take();
    if (admission?.type === 'limited') {
      rateLimited++;
      return fail(429, 'UNAVAILABLE', `gateway: rate limit of ${route.rateLimit?.perSecond}/s on ${key}`, {
        'retry-after': String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))),
      });
    }
    if (new TextEncoder().encode(request.body).byteLength > config.maxBodyBytes)
      return fail(413, 'BAD_REQUEST', `gateway: body over ${config.maxBodyBytes} bytes`);
    let body: unknown = {};
    if (request.body.trim() !== '') {
      try {
        body = JSON.parse(request.body);
      } catch (error) {
        return fail(400, 'BAD_REQUEST', `gateway: the body is not JSON (${(error as Error).message})`);
      }
    }
    const callOptions = { timeoutMs: route.timeoutMs, metadata: metadataOf(request.headers) };
    if (route.stream || request.headers.accept === 'text/event-stream') {
      const stream = config.client.serverStream(route.service, route.endpoint, body, callOptions);
      // Wait for the first reply, so an error before any (no such service, no access) keeps its status.
      const iterator = stream[Symbol.asyncIterator]();
      let first: IteratorResult<unknown>;
      try {
        first = await iterator.next();
      } catch (error) {
        const micro = toMicroError(error);
        return errorReply(httpStatusOf(micro.code), micro.toJSON());
      }
      return {
        type: 'stream',
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
        events: sseEvents(first, iterator),
        cancel: () => stream.cancel('the HTTP client went away'),
      };
    }
    try {
      return reply(200, await config.client.call(route.service, route.endpoint, body, callOptions));
    } catch (error) {
      const micro = toMicroError(error);
      return errorReply(httpStatusOf(micro.code), micro.toJSON());
    }
  }

  return {
    async handle(request) {
      requests++;
      const response = await serve(request);
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      return response;
    },
    stats: (): GatewayStats => ({ requests, byStatus: { ...byStatus }, rateLimited }),
  };
}
