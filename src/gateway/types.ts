/**
 * The gateway's contract: HTTP in, RPC out, independent of how the HTTP arrives (node's http
 * server in `@microcosm-ts/core/plugins/http`, a simulated network link in `./sim.ts`).
 *
 * Contract.
 * - `POST /{service}/{Handler.Method}` with a JSON body calls that endpoint of
 *   `{namespace}.{service}` (or `{service}` without a namespace) and answers 200 with the JSON reply.
 * - A configured route (method + exact path) calls its service endpoint instead; routes are
 *   matched before the generic path. A route marked `stream` (or any request sent with
 *   `accept: text/event-stream`) opens a server stream and answers with Server-Sent Events:
 *   one `data:` event per reply, then `event: end`, or `event: error` carrying the MicroError.
 * - The `authorization` header travels as call metadata, so the callee's auth wrapper decides.
 * - A route's rate limit (a token bucket on the gateway's runtime clock) answers 429 with
 *   `retry-after` once the bucket is empty; nothing is called.
 * - Errors become statuses: a MicroError's own status (400, 401, 403, 404, 408→504, 409, 499, 500,
 *   503); an unknown path 404, a wrong method 405, an unparseable body 400, a body over the limit 413.
 *   An error body is `{ "error": MicroErrorData }`.
 */

/** An HTTP request as the gateway sees it. Header names are lower-case. */
export interface GatewayRequest {
  readonly method: string;
  /** The path, with its query string if any. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type GatewayResponse =
  | {
      readonly type: 'reply';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | {
      readonly type: 'stream';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      /** Server-Sent Event frames, each ending with a blank line. */
      readonly events: AsyncIterable<string>;
      /** The HTTP client went away: cancel the RPC stream. */
      cancel(): void;
    };

/** Counters a dashboard or a test reads. */
export interface GatewayStats {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly rateLimited: number;
}

export interface Gateway {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  stats(): GatewayStats;
}
