/**
 * The gateway as a node of a simulated world: `serveGateway(ctx, gateway)` answers HTTP requests
 * arriving on the node's `http` port, `httpClient(ctx, host)` sends them from another node. Each
 * request and response is one message through the network model, so latency, loss and partitions
 * between a load generator and the gateway behave as on a real link. A server stream's events are
 * collected and sent as one response (SSE text) — the simulated link carries whole messages.
 */
import { connect, type RemotePort, serve } from '../fakes/remote.js';
import type { Gateway, GatewayRequest } from './types.js';

export const GATEWAY_PORT = 'http';

/** What a simulated HTTP client gets back. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Serve `gateway` on this node's `http` port. Returns a function that stops serving. */
export function serveGateway(ctx: RemotePort, gateway: Gateway): () => void {
  return serve(ctx, GATEWAY_PORT, {
    async request([request]): Promise<HttpReply> {
      const response = await gateway.handle(request as GatewayRequest);
      if (response.type === 'reply') return { status: response.status, headers: response.headers, body: response.body };
      let body = '';
      for await (const event of response.events) body += event;
      return { status: response.status, headers: response.headers, body };
    },
  });
}

export interface HttpClientOptions {
  /** How long a request waits for its response, on the client's clock. Default: 5000. */
  readonly timeoutMs?: number;
}

export interface SimHttpClient {
  /** Resolves with the response; rejects with a retryable TIMEOUT when none arrives in time. */
  request(request: Partial<GatewayRequest> & { readonly path: string }): Promise<HttpReply>;
  /** `POST path` with a JSON body. */
  post(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<HttpReply>;
  close(): void;
}

export function httpClient(ctx: RemotePort, host: string, options: HttpClientOptions = {}): SimHttpClient {
  const remote = connect(ctx, host, GATEWAY_PORT, { timeoutMs: options.timeoutMs ?? 5_000 });
  const request: SimHttpClient['request'] = (partial) =>
    remote.call<HttpReply>('request', {
      method: partial.method ?? 'GET',
      path: partial.path,
      headers: Object.fromEntries(Object.entries(partial.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      body: partial.body ?? '',
    } satisfies GatewayRequest);
  return {
    request,
    post: (path, body, headers = {}) =>
      request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    close: () => remote.close(),
  };
}
