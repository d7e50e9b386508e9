/**
 * Client: calls endpoints of other services by name, through the selector, a pooled connection
 * per node and the stream multiplexer.
 *
 * Contract.
 * - `call` sends one request and resolves with the one reply, decoded; a handler's MicroError
 *   rejects the call with that error, typed. A call never outlives its deadline: the earliest of
 *   `timeoutMs` from now, `deadline`, and the `context`'s deadline. The callee sees what remains.
 * - Retries: an attempt that fails with a retryable error is retried — on a node picked afresh —
 *   up to `retries` more times, after an exponential backoff with jitter drawn from the runtime's
 *   random, and never past the deadline. A non-retryable error is never retried.
 * - A circuit breaker per node opens after `breaker.failures` consecutive node failures (TIMEOUT
 *   or UNAVAILABLE), lets one trial call through after `breaker.cooldownMs` and closes on its
 *   success; calls skip nodes whose circuit is open.
 * - Metadata: the `context`'s metadata, then the client's, then the call's (later wins), travels
 *   with the call; so does cancellation (`signal`, and the `context`'s signal).
 * - Streams (`serverStream`, `stream`) are not retried; cancelling one (`cancel()`, breaking out
 *   of its iteration, or aborting its signal) ends it on both sides.
 * - Wrappers see every call and stream open, outermost first, and may change the request.
 */
import type { CallContext } from '../metadata/context.js';
import type { Metadata } from '../metadata/types.js';
import type { NodeFilter, Strategy } from '../selector/types.js';

export interface BackoffOptions {
  /** First retry waits about this long. Default: DEFAULT_BACKOFF.baseMs (50). */
  readonly baseMs?: number;
  /** No retry waits longer. Default: DEFAULT_BACKOFF.maxMs (2000). */
  readonly maxMs?: number;
}

export interface CallOptions {
  /** Budget for the whole call, all attempts included. Default: the client's timeoutMs (5000). */
  readonly timeoutMs?: number;
  /** An absolute deadline in the runtime's clock; the earlier of this and the timeout wins. Default: none. */
  readonly deadline?: number;
  /** Budget per attempt, so a timed-out attempt leaves time to retry. Default: the whole remaining budget. */
  readonly attemptTimeoutMs?: number;
  /** Extra attempts after a retryable failure. Default: the client's retries (1). */
  readonly retries?: number;
  readonly backoff?: BackoffOptions;
  /** Sent to the callee, on top of the context's and the client's. Default: none. */
  readonly metadata?: Metadata;
  /** A handler's context: the call inherits its metadata, deadline and cancellation. Default: none. */
  readonly context?: CallContext;
  readonly signal?: AbortSignal;
  /** Content type to encode with. Default: the client's contentType ('application/json'). */
  readonly contentType?: string;
  /** Selector strategy for this call. Default: the selector's. */
  readonly strategy?: Strategy;
  readonly filters?: readonly NodeFilter[];
  /** Request key for the consistent-hash strategy. */
  readonly key?: string;
  /** Call this transport address directly, bypassing the selector. Default: none. */
  readonly address?: string;
}

/** The replies of a server-streaming or bidirectional call. */
export interface ResponseStream<Res> extends AsyncIterable<Res> {
  /** Abandon the call; the server sees it cancelled. Idempotent. */
  cancel(reason?: string): void;
  readonly signal: AbortSignal;
}

/** An open client-streaming or bidirectional call. */
export interface ClientStream<Req, Res> extends ResponseStream<Res> {
  /** Send a message; waits while the server's window is full (back-pressure). */
  send(message: Req): Promise<void>;
  /** No more messages from this side. */
  end(): void;
  /**
   * Client streaming: read the server's single reply. Ends this side first unless `end: false`
   * (for when something else, such as a pump over an AsyncIterable, ends it).
   */
  response(options?: { readonly end?: boolean }): Promise<Res>;
}

export type RequestKind = 'call' | 'server-stream' | 'stream';

/** What wrappers see. `body` is the request (absent for `stream`). */
export interface ClientRequest {
  readonly kind: RequestKind;
  readonly service: string;
  readonly endpoint: string;
  readonly body?: unknown;
  readonly metadata: Metadata;
  /** Absolute deadline in the runtime's clock, or undefined. */
  readonly deadline: number | undefined;
  readonly options: CallOptions;
}

/** Performs a request: resolves with the reply (`call`), a ResponseStream or a ClientStream. */
export type Invoke = (request: ClientRequest) => Promise<unknown>;
export type ClientWrapper = (next: Invoke) => Invoke;

export interface ClientPublishOptions {
  readonly contentType?: string;
  readonly metadata?: Metadata;
  readonly context?: CallContext;
}

/** A typed stand-in for a remote handler: each method of `T` becomes a remote call. */
export type ServiceProxy<T> = {
  readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: ProxyMethod<T[K]>;
};

export type ProxyMethod<F> = F extends (request: infer Req, ...rest: never[]) => infer R
  ? (
      request: Req,
      options?: CallOptions,
    ) => [R] extends [AsyncIterable<infer X>] ? ResponseStream<X> : Promise<Awaited<R>>
  : never;

export interface Client {
  call<Res = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options?: CallOptions,
  ): Promise<Res>;
  serverStream<Res = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options?: CallOptions,
  ): ResponseStream<Res>;
  stream<Req = unknown, Res = unknown>(
    service: string,
    endpoint: string,
    options?: CallOptions,
  ): Promise<ClientStream<Req, Res>>;
  /** A typed proxy: `client.proxy<Greeter>('greeter', 'Greeter').Hello({ name })`. */
  proxy<T>(service: string, handler: string, options?: CallOptions): ServiceProxy<T>;
  /** Publish through the service's broker; resolves with the message id. */
  publish(topic: string, message: unknown, options?: ClientPublishOptions): Promise<string>;
  /** Close pooled connections and the selector's watches. */
  close(): Promise<void>;
}
