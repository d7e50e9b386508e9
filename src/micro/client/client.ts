/**
 * The RPC client: wrappers → retries → selector + breaker → pooled mux → codec. See the
 * contract in `types.ts`.
 */
import type { Codec } from '../codec/types.js';
import { cancelled, internal, isMicroError, unavailable } from '../errors.js';
import { isWatchable, type LazyCallContext } from '../metadata/call-context.js';
import { earliestDeadline } from '../metadata/context.js';
import { type Metadata, mergeMetadata } from '../metadata/types.js';
import { sleep } from '../runtime.js';
import type { Selection, SelectOptions } from '../selector/types.js';
import type { InputShape, OpenRequest } from '../transport/mux-frames.js';
import type { Mux } from '../transport/mux.js';
import { toWire, type WireMessage } from '../transport/values.js';
import { backoffDelay } from './backoff.js';
import { CircuitBreakers } from './breaker.js';
import { checkingCallOptions } from './call-options-check.js';
import { RpcClientStream } from './client-stream.js';
import { type RaceOptions, raceCall, raceDeadline } from './deadline.js';
import { asMicroError, isNodeFault } from './faults.js';
import { type ClientConfig, type ClientOptions, resolveClientOptions } from './options.js';
import { ConnectionPool } from './pool.js';
import { createProxy } from './proxy.js';
import type {
  CallOptions,
  Client,
  ClientPublishOptions,
  ClientRequest,
  ClientStream,
  Invoke,
  RequestKind,
  ResponseStream,
  ServiceProxy,
} from './types.js';

/** Where one attempt goes, and how to report its outcome. */
interface Target {
  readonly address: string;
  done(ok: boolean): void;
}

/** A target given by address (`options.address`): only its circuit breaker hears the outcome. */
class AddressTarget implements Target {
  constructor(
    readonly address: string,
    readonly breakers: CircuitBreakers,
  ) {}

  done(ok: boolean): void {
    if (ok) this.breakers.success(this.address);
    else this.breakers.failure(this.address);
  }
}

/** A target the selector chose: the selection and the node's breaker hear the outcome. */
class SelectedTarget implements Target {
  readonly address: string;
  constructor(
    readonly selection: Selection,
    readonly breakers: CircuitBreakers,
  ) {
    this.address = selection.node.address;
  }

  done(ok: boolean): void {
    this.selection.done(ok);
    if (ok) this.breakers.success(this.selection.node.id);
    else this.breakers.failure(this.selection.node.id);
  }
}

export class RpcClient implements Client {
  readonly #config: ClientConfig;
  readonly #pool: ConnectionPool;
  readonly #breakers: CircuitBreakers;
  readonly #invoke: Invoke;
  /** The config's metadata, merged once: what a call without metadata of its own sends. */
  readonly #metadata: Metadata;
  /** The config's codec, resolved once: what a call without a `contentType` uses. */
  readonly #codec: Codec;
  /** Select options for a call that sets no strategy, filters or key (built once, not per call). */
  readonly #selectDefaults: SelectOptions & Required<Pick<SelectOptions, 'exclude'>>;

  constructor(options: ClientOptions) {
    this.#config = resolveClientOptions(options);
    this.#metadata = Object.freeze(mergeMetadata(this.#config.metadata));
    this.#codec = this.#config.codecs.forContentType(this.#config.contentType);
    this.#selectDefaults = { exclude: (node) => !this.#breakers.allows(node.id) };
    this.#pool = new ConnectionPool(this.#config.transport, this.#config.streamWindow);
    this.#breakers = new CircuitBreakers(this.#config.runtime.clock, this.#config.breaker);
    this.#invoke = this.#config.wrappers.reduceRight<Invoke>(
      (next, wrap) => wrap(next),
      (r) => this.#perform(r),
    );
    this.#invoke = checkingCallOptions(this.#invoke); // outside every wrapper: see call-options-check.ts
  }

  /** Circuit state per node id (for tests and dashboards). */
  get breakers(): CircuitBreakers {
    return this.#breakers;
  }

  call<Res = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options: CallOptions = NO_OPTIONS,
  ) {
    return this.#invoke(this.#request('call', service, endpoint, options, request)) as Promise<Res>;
  }

  serverStream<Res = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options: CallOptions = NO_OPTIONS,
  ): ResponseStream<Res> {
    return lazyStream(
      () =>
        this.#invoke(this.#request('server-stream', service, endpoint, options, request)) as Promise<
          ResponseStream<Res>
        >,
    );
  }

  stream<Req = unknown, Res = unknown>(service: string, endpoint: string, options: CallOptions = NO_OPTIONS) {
    return this.#invoke(this.#request('stream', service, endpoint, options)) as Promise<ClientStream<Req, Res>>;
  }

  proxy<T>(service: string, handler: string, options: CallOptions = NO_OPTIONS): ServiceProxy<T> {
    return createProxy<T>(this, service, handler, options);
  }

  async publish(topic: string, message: unknown, options: ClientPublishOptions = {}): Promise<string> {
    const broker = this.#config.broker;
    if (broker === undefined)
      throw unavailable('publish needs a broker; none is configured', { id: this.#config.name });
    const codec = this.#config.codecs.forContentType(options.contentType ?? this.#config.contentType);
    const metadata = mergeMetadata(options.context?.metadata, this.#config.metadata, options.metadata);
    return broker.publish(topic, codec.encode(message), {
      headers: { ...metadata, 'content-type': codec.contentType },
    });
  }

  async close(): Promise<void> {
    await this.#pool.close();
    if (this.#config.ownsSelector) this.#config.selector.close();
  }

  #request(kind: RequestKind, service: string, endpoint: string, options: CallOptions, body?: unknown): ClientRequest {
    const context = options.context;
    const timeoutMs = options.timeoutMs ?? (kind === 'call' ? this.#config.timeoutMs : undefined);
    const deadline = earliestDeadline(
      earliestDeadline(context?.deadline, options.deadline),
      timeoutMs === undefined ? undefined : this.#config.runtime.clock.now() + timeoutMs,
    );
    const metadata =
      context?.metadata === undefined && options.metadata === undefined
        ? this.#metadata
        : mergeMetadata(context?.metadata, this.#config.metadata, options.metadata);
    return kind === 'stream'
      ? { kind, service, endpoint, metadata, deadline, options }
      : { kind, service, endpoint, metadata, deadline, options, body };
  }

  #codecFor(contentType: string | undefined): Codec {
    return contentType === undefined ? this.#codec : this.#config.codecs.forContentType(contentType);
  }

  #perform(request: ClientRequest): Promise<unknown> {
    switch (request.kind) {
      case 'call':
        return this.#callWithRetries(request);
      case 'server-stream':
      case 'stream':
        return this.#open(request);
      default: {
        const never: never = request.kind;
        return Promise.reject(internal(`unknown request kind ${String(never)}`));
      }
    }
  }

  /**
   * Not `async`: most calls succeed on the first attempt, and an async layer (its promise, frame
   * and await) is a measurable share of a simulated call. A failed first attempt goes on in
   * `#retry`.
   */
  #callWithRetries(request: ClientRequest): Promise<unknown> {
    // A server context is watched, not asked for its signal: reading `signal` would make an
    // AbortController and arm the server's deadline timer for every nested call.
    const context = request.options.context;
    const watch = isWatchable(context) ? context : undefined;
    const signal = anySignal(request.options.signal, watch === undefined ? context?.signal : undefined);
    let first: Promise<unknown>;
    try {
      first = this.#attempt(request, signal, watch);
    } catch (thrown) {
      first = Promise.reject(thrown);
    }
    return first.catch((thrown: unknown) => this.#retry(request, signal, watch, thrown));
  }

  /** After a failed attempt: retry while the error is retryable and retries, time and signals allow. */
  async #retry(
    request: ClientRequest,
    signal: AbortSignal | undefined,
    watch: LazyCallContext | undefined,
    firstError: unknown,
  ): Promise<unknown> {
    const { runtime } = this.#config;
    const retries = request.options.retries ?? this.#config.retries;
    let thrown = firstError;
    for (let attempt = 0; ; attempt++) {
      const error = asMicroError(thrown);
      if (!error.retryable || attempt >= retries || signal?.aborted || watch?.aborted) throw error;
      const backoff = { ...this.#config.backoff, ...request.options.backoff };
      const delay = backoffDelay(attempt, runtime.random, backoff.baseMs, backoff.maxMs);
      if (request.deadline !== undefined && runtime.clock.now() + delay >= request.deadline) throw error;
      this.#config.logger.debug('retrying call', {
        service: request.service,
        endpoint: request.endpoint,
        attempt,
        delay,
      });
      await sleep(runtime, delay, watch === undefined ? signal : anySignal(signal, watch.signal)).catch(
        (reason: unknown) => {
          throw isMicroError(reason)
            ? reason
            : cancelled(`call to ${request.service} ${request.endpoint} was cancelled`, {
                id: 'client',
                cause: reason,
              });
        },
      );
      try {
        return await this.#attempt(request, signal, watch);
      } catch (next) {
        thrown = next;
      }
    }
  }

  /**
   * One attempt. Not `async` on the common path — a cached node with an open connection — where
   * the deadline race is the whole attempt and reports the outcome to the target itself.
   */
  #attempt(
    request: ClientRequest,
    signal: AbortSignal | undefined,
    watch: LazyCallContext | undefined,
  ): Promise<unknown> {
    const { runtime } = this.#config;
    const attemptMs = request.options.attemptTimeoutMs;
    const deadline = earliestDeadline(
      request.deadline,
      attemptMs === undefined ? undefined : runtime.clock.now() + attemptMs,
    );
    const signals = signal === undefined ? NO_SIGNALS : [signal];
    const race: RaceOptions = {
      runtime,
      deadline,
      signals,
      watch,
      what: `call to ${request.service} ${request.endpoint}`,
    };
    const target = this.#targetNow(request);
    const mux = target === undefined ? undefined : this.#pool.ready(target.address);
    if (target === undefined || mux === undefined) return this.#attemptAfterWaiting(request, race, target);
    return this.#send(request, race, target, mux);
  }

  /** An attempt that waits for the selector or for a connection first. */
  async #attemptAfterWaiting(request: ClientRequest, race: RaceOptions, known: Target | undefined): Promise<unknown> {
    const target = known ?? (await this.#target(request));
    let mux: Mux;
    try {
      mux =
        this.#pool.ready(target.address) ?? (await raceDeadline(this.#pool.get(target.address, race.signals[0]), race));
    } catch (thrown) {
      const error = asMicroError(thrown);
      target.done(!isNodeFault(error));
      throw error;
    }
    return this.#send(request, race, target, mux);
  }

  /** Encode the request and race the call on `mux`; the race tells `target` how it went. */
  #send(request: ClientRequest, race: RaceOptions, target: Target, mux: Mux): Promise<unknown> {
    const codec = this.#codecFor(request.options.contentType);
    const open = this.#openRequest(request, codec.contentType, race.deadline, 'one');
    let message: WireMessage;
    try {
      message = toWire(codec, request.body, mux.connection.values, request.endpoint, 'request');
    } catch (thrown) {
      const error = asMicroError(thrown);
      target.done(!isNodeFault(error));
      return Promise.reject(error);
    }
    return raceCall(mux, open, message, codec, race, target);
  }

  async #open(request: ClientRequest): Promise<ClientStream<unknown, unknown>> {
    const { runtime } = this.#config;
    const codec = this.#codecFor(request.options.contentType);
    const signals = [request.options.signal, request.options.context?.signal];
    const what = `stream to ${request.service} ${request.endpoint}`;
    const target = await this.#target(request);
    try {
      const mux = await raceDeadline(this.#pool.get(target.address), {
        runtime,
        deadline: request.deadline,
        signals,
        what,
      });
      const stream =
        request.kind === 'server-stream'
          ? mux.open(this.#openRequest(request, codec.contentType, request.deadline, 'one'), {
              body: codec.encode(request.body),
              end: true,
            })
          : mux.open(this.#openRequest(request, codec.contentType, request.deadline, 'many'));
      const onRelease = () => target.done(true); // a stream counts as outstanding until it ends
      return new RpcClientStream(stream, { runtime, codec, deadline: request.deadline, signals, what, onRelease });
    } catch (thrown) {
      const error = asMicroError(thrown);
      target.done(!isNodeFault(error));
      throw error;
    }
  }

  #openRequest(
    request: ClientRequest,
    contentType: string,
    deadline: number | undefined,
    input: InputShape,
  ): OpenRequest {
    const { service, endpoint, metadata } = request;
    if (deadline === undefined) return { service, endpoint, contentType, input, metadata };
    const timeoutMs = Math.max(0, deadline - this.#config.runtime.clock.now());
    return { service, endpoint, contentType, input, metadata, timeoutMs };
  }

  /** The target, chosen at once when the selector can (a cached service) or by address; else undefined. */
  #targetNow(request: ClientRequest): Target | undefined {
    const { options } = request;
    if (options.address !== undefined) return this.#addressTarget(options.address);
    const selection = this.#config.selector.selectNow?.(request.service, this.#selectOptions(options));
    return selection === undefined ? undefined : this.#selected(selection);
  }

  async #target(request: ClientRequest): Promise<Target> {
    const { options } = request;
    if (options.address !== undefined) return this.#addressTarget(options.address);
    return this.#selected(await this.#config.selector.select(request.service, this.#selectOptions(options)));
  }

  #addressTarget(address: string): Target {
    const breakers = this.#breakers;
    if (!breakers.allows(address)) throw unavailable(`the circuit to ${address} is open`, { id: this.#config.name });
    breakers.begin(address);
    return new AddressTarget(address, breakers);
  }

  #selected(selection: Selection): Target {
    this.#breakers.begin(selection.node.id);
    return new SelectedTarget(selection, this.#breakers);
  }

  #selectOptions(options: CallOptions): SelectOptions {
    return options.strategy === undefined && options.filters === undefined && options.key === undefined
      ? this.#selectDefaults
      : {
          ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
          ...(options.filters === undefined ? {} : { filters: options.filters }),
          ...(options.key === undefined ? {} : { key: options.key }),
          exclude: this.#selectDefaults.exclude,
        };
  }
}

export function createClient(options: ClientOptions): RpcClient {
  return new RpcClient(options);
}

const NO_SIGNALS: readonly AbortSignal[] = [];
/** The options of a call that gives none (shared: options are read, never written). */
const NO_OPTIONS: CallOptions = Object.freeze({});

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return AbortSignal.any([a, b]);
}

/** A ResponseStream whose call starts on first read. */
function lazyStream<Res>(start: () => Promise<ResponseStream<Res>>): ResponseStream<Res> {
  const abort = new AbortController();
  let started: Promise<AsyncIterator<Res>> | undefined;
  let stream: ResponseStream<Res> | undefined;
  const iterator = () =>
    (started ??= start().then((s) => {
      stream = s;
      if (abort.signal.aborted) s.cancel(String(abort.signal.reason));
      return s[Symbol.asyncIterator]();
    }));
  return {
    get signal() {
      return stream?.signal ?? abort.signal;
    },
    cancel(reason = 'cancelled by the caller') {
      if (stream !== undefined) stream.cancel(reason);
      else abort.abort(reason);
    },
    [Symbol.asyncIterator]: () => ({
      next: async () => (await iterator()).next(),
      return: async () => {
        if (started === undefined) return { value: undefined, done: true };
        return (await iterator()).return?.() ?? { value: undefined, done: true };
      },
    }),
  };
}
