/**
 * The RPC client: wrappers → retries → selector + breaker → pooled mux → codec. See the
 * contract in `types.ts`.
 */
import { cancelled, internal, isMicroError, type MicroError, unavailable } from '../errors.js';
import { earliestDeadline } from '../metadata/context.js';
import { mergeMetadata } from '../metadata/types.js';
import { sleep } from '../runtime.js';
import type { InputShape, OpenRequest } from '../transport/mux-frames.js';
import { backoffDelay } from './backoff.js';
import { CircuitBreakers } from './breaker.js';
import { RpcClientStream } from './client-stream.js';
import { raceDeadline } from './deadline.js';
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

export class RpcClient implements Client {
  readonly #config: ClientConfig;
  readonly #pool: ConnectionPool;
  readonly #breakers: CircuitBreakers;
  readonly #invoke: Invoke;

  constructor(options: ClientOptions) {
    this.#config = resolveClientOptions(options);
    this.#pool = new ConnectionPool(this.#config.transport, this.#config.streamWindow);
    this.#breakers = new CircuitBreakers(this.#config.runtime.clock, this.#config.breaker);
    this.#invoke = this.#config.wrappers.reduceRight<Invoke>(
      (next, wrap) => wrap(next),
      (r) => this.#perform(r),
    );
  }

  /** Circuit state per node id (for tests and dashboards). */
  get breakers(): CircuitBreakers {
    return this.#breakers;
  }

  call<Res = unknown, Req = unknown>(service: string, endpoint: string, request: Req, options: CallOptions = {}) {
    return this.#invoke(this.#request('call', service, endpoint, options, request)) as Promise<Res>;
  }

  serverStream<Res = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options: CallOptions = {},
  ): ResponseStream<Res> {
    return lazyStream(
      () =>
        this.#invoke(this.#request('server-stream', service, endpoint, options, request)) as Promise<
          ResponseStream<Res>
        >,
    );
  }

  stream<Req = unknown, Res = unknown>(service: string, endpoint: string, options: CallOptions = {}) {
    return this.#invoke(this.#request('stream', service, endpoint, options)) as Promise<ClientStream<Req, Res>>;
  }

  proxy<T>(service: string, handler: string, options: CallOptions = {}): ServiceProxy<T> {
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
    const now = this.#config.runtime.clock.now();
    const timeoutMs = options.timeoutMs ?? (kind === 'call' ? this.#config.timeoutMs : undefined);
    const deadline = earliestDeadline(
      earliestDeadline(options.context?.deadline, options.deadline),
      timeoutMs === undefined ? undefined : now + timeoutMs,
    );
    const metadata = mergeMetadata(options.context?.metadata, this.#config.metadata, options.metadata);
    const base = { kind, service, endpoint, metadata, deadline, options };
    return kind === 'stream' ? base : { ...base, body };
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

  async #callWithRetries(request: ClientRequest): Promise<unknown> {
    const { runtime } = this.#config;
    const retries = request.options.retries ?? this.#config.retries;
    const backoff = { ...this.#config.backoff, ...request.options.backoff };
    const signal = anySignal(request.options.signal, request.options.context?.signal);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(request, signal);
      } catch (thrown) {
        const error = asMicroError(thrown);
        if (!error.retryable || attempt >= retries || signal?.aborted) throw error;
        const delay = backoffDelay(attempt, runtime.random, backoff.baseMs, backoff.maxMs);
        if (request.deadline !== undefined && runtime.clock.now() + delay >= request.deadline) throw error;
        this.#config.logger.debug('retrying call', {
          service: request.service,
          endpoint: request.endpoint,
          attempt,
          delay,
        });
        await sleep(runtime, delay, signal).catch((reason: unknown) => {
          throw isMicroError(reason)
            ? reason
            : cancelled(`call to ${request.service} ${request.endpoint} was cancelled`, {
                id: 'client',
                cause: reason,
              });
        });
      }
    }
  }

  async #attempt(request: ClientRequest, signal: AbortSignal | undefined): Promise<unknown> {
    const { runtime } = this.#config;
    const attemptMs = request.options.attemptTimeoutMs;
    const deadline = earliestDeadline(
      request.deadline,
      attemptMs === undefined ? undefined : runtime.clock.now() + attemptMs,
    );
    const codec = this.#config.codecs.forContentType(request.options.contentType ?? this.#config.contentType);
    const body = codec.encode(request.body);
    const what = `call to ${request.service} ${request.endpoint}`;
    const target = await this.#target(request);
    try {
      const signals = signal === undefined ? NO_SIGNALS : [signal];
      const mux =
        this.#pool.ready(target.address) ??
        (await raceDeadline(this.#pool.get(target.address, signal), {
          runtime,
          deadline,
          signals,
          what,
          onStop: noop,
        }));
      const stream = mux.open(this.#openRequest(request, codec.contentType, deadline, 'one'), { body, end: true });
      const reply = await raceDeadline(stream.next(), {
        runtime,
        deadline,
        signals,
        what,
        onStop: () => stream.cancel(`${what} gave up`),
      });
      if (reply.done) throw internal(`${what}: the server ended without a reply`, { id: this.#config.name });
      target.done(true);
      return codec.decode(reply.value);
    } catch (thrown) {
      const error = asMicroError(thrown);
      target.done(!isNodeFault(error));
      throw error;
    }
  }

  async #open(request: ClientRequest): Promise<ClientStream<unknown, unknown>> {
    const { runtime } = this.#config;
    const codec = this.#config.codecs.forContentType(request.options.contentType ?? this.#config.contentType);
    const signals = [request.options.signal, request.options.context?.signal];
    const what = `stream to ${request.service} ${request.endpoint}`;
    const target = await this.#target(request);
    try {
      const mux = await raceDeadline(this.#pool.get(target.address), {
        runtime,
        deadline: request.deadline,
        signals,
        what,
        onStop: () => {},
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

  async #target(request: ClientRequest): Promise<Target> {
    const { options } = request;
    const breakers = this.#breakers;
    if (options.address !== undefined) {
      const address = options.address;
      if (!breakers.allows(address)) throw unavailable(`the circuit to ${address} is open`, { id: this.#config.name });
      breakers.begin(address);
      return { address, done: (ok) => (ok ? breakers.success(address) : breakers.failure(address)) };
    }
    const selection = await this.#config.selector.select(request.service, {
      ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
      ...(options.filters === undefined ? {} : { filters: options.filters }),
      ...(options.key === undefined ? {} : { key: options.key }),
      exclude: (node) => !breakers.allows(node.id),
    });
    const id = selection.node.id;
    breakers.begin(id);
    return {
      address: selection.node.address,
      done: (ok) => {
        selection.done(ok);
        if (ok) breakers.success(id);
        else breakers.failure(id);
      },
    };
  }
}

export function createClient(options: ClientOptions): RpcClient {
  return new RpcClient(options);
}

const NO_SIGNALS: readonly AbortSignal[] = [];
const noop = () => {};

/** Failures that say something about the node rather than the request. */
function isNodeFault(error: MicroError): boolean {
  return error.code === 'TIMEOUT' || error.code === 'UNAVAILABLE';
}

function asMicroError(thrown: unknown): MicroError {
  return isMicroError(thrown) ? thrown : internal('client failure', { id: 'client', cause: thrown, retryable: false });
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
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
