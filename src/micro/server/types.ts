/**
 * Server: serves a service's handlers over a transport, keeps it registered, runs subscribers.
 *
 * Contract.
 * - `handle(name, handler)`: every method of the object (own or inherited, but not the
 *   constructor) becomes the endpoint `name.method`. A method takes the request — or, when the
 *   caller streams, an AsyncIterable of requests — and the call's {@link CallContext}; it returns
 *   the reply, a promise of it, or an AsyncIterable of replies (server streaming).
 * - A handler's thrown MicroError reaches the caller as is; anything else becomes INTERNAL
 *   without its message or stack (and is logged here). An unknown endpoint is NOT_FOUND; an
 *   unknown content type BAD_REQUEST.
 * - The context's deadline is the caller's remaining time measured on arrival; when it passes,
 *   the context's signal aborts and the caller gets TIMEOUT. The signal also aborts when the
 *   caller cancels or goes away.
 * - `start()` listens, registers with the TTL and re-registers on an interval; `stop()` drains:
 *   deregister, refuse new calls (UNAVAILABLE, so callers retry elsewhere), let in-flight calls
 *   finish (up to the drain timeout, after which they are cancelled), then close.
 * - Subscribers run on the service's broker, in their queue group when one is given.
 */
import type { DeliveryMode } from '../broker/types.js';
import type { CallContext } from '../metadata/context.js';
import type { Metadata } from '../metadata/types.js';
import type { Service } from '../registry/types.js';

/** A request as server wrappers see it: `body` is the decoded request or an AsyncIterable of them. */
export interface ServerRequest {
  readonly service: string;
  readonly endpoint: string;
  readonly body: unknown;
  readonly metadata: Metadata;
  readonly context: CallContext;
}

/** Runs a request: resolves with the reply or with an AsyncIterable of replies. */
export type HandlerFn = (request: ServerRequest) => Promise<unknown>;
export type HandlerWrapper = (next: HandlerFn) => HandlerFn;

/**
 * Told of every call the wrapped handler runs, around it (outside every wrapper), synchronously:
 * unlike a wrapper it adds no promise or async layer per call. The health stats use it.
 */
export interface CallRecorder {
  /** A call of `endpoint` starts; what is returned comes back to `ended`. */
  started(endpoint: string): number;
  /** It resolved, or threw `error` (then `failed` is true). */
  ended(endpoint: string, startedAt: number, failed: boolean, error?: unknown): void;
}

export interface HandleOptions {
  /** Attached to each endpoint's registry entry. Default: none. */
  readonly metadata?: Metadata;
}

export interface SubscriberOptions {
  /** Queue group: one member of the group gets each message. Default: none (every subscriber). */
  readonly queue?: string;
  /** Default: the broker's ('at-most-once'). */
  readonly delivery?: DeliveryMode;
}

/** A subscriber gets the decoded message and a context carrying the publisher's metadata. */
export type Subscriber<T = unknown> = (message: T, context: CallContext) => void | Promise<void>;

export interface Server {
  /** The transport address once started, else undefined. */
  readonly address: string | undefined;
  /** The registry entry this server keeps alive. */
  readonly registration: Service | undefined;
  /** Calls being served now. */
  readonly inFlight: number;
  handle(name: string, handler: object, options?: HandleOptions): this;
  subscribe<T = unknown>(topic: string, subscriber: Subscriber<T>, options?: SubscriberOptions): this;
  start(): Promise<void>;
  stop(): Promise<void>;
}
