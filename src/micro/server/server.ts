/**
 * The RPC server: listens on the transport, multiplexes each accepted connection, dispatches
 * streams to handlers, keeps its registry entry alive and drains gracefully on stop.
 */
import type { Subscription } from '../broker/types.js';
import { badRequest, unavailable } from '../errors.js';
import type { CallContext } from '../metadata/context.js';
import type { Service } from '../registry/types.js';
import { randomId, type TimerHandle } from '../runtime.js';
import { Mux } from '../transport/mux.js';
import type { MuxStream } from '../transport/mux-stream.js';
import type { IncomingCall } from '../transport/mux-unary.js';
import type { Connection, Listener } from '../transport/types.js';
import { type Dispatcher, serveStream } from './dispatch.js';
import { serveCall } from './serve-call.js';
import { type EndpointEntry, endpointsOf } from './endpoints.js';
import { resolveServerOptions, type ServerConfig, type ServerOptions } from './options.js';
import type { HandleOptions, HandlerFn, Server, Subscriber, SubscriberOptions } from './types.js';

type Phase = 'idle' | 'running' | 'draining' | 'stopped';

export class RpcServer implements Server {
  readonly #config: ServerConfig;
  readonly #endpoints = new Map<string, EndpointEntry>();
  readonly #subscribers: Array<{ topic: string; subscriber: Subscriber; options: SubscriberOptions }> = [];
  readonly #subscriptions: Subscription[] = [];
  readonly #muxes = new Set<Mux>();
  readonly #inFlight = new Set<MuxStream | IncomingCall>();
  readonly #dispatcher: Dispatcher;
  readonly #nodeId: string;
  #phase: Phase = 'idle';
  #listener: Listener | undefined;
  #reregister: TimerHandle | undefined;
  #registration: Service | undefined;
  #drained: (() => void) | undefined;

  constructor(options: ServerOptions) {
    this.#config = resolveServerOptions(options);
    this.#nodeId = this.#config.nodeId ?? `${this.#config.name}-${randomId(this.#config.runtime, 8)}`;
    // Not `async`: returning the handler's own promise saves an async function's extra ticks per
    // call, while a synchronous throw still becomes a rejection.
    const inner: HandlerFn = (request) => {
      try {
        return Promise.resolve(this.#endpoints.get(request.endpoint)!.invoke(request.body, request.context));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const invoke = this.#config.wrappers.reduceRight<HandlerFn>((next, wrap) => wrap(next), inner);
    this.#dispatcher = {
      config: this.#config,
      endpoints: this.#endpoints,
      invoke,
      finished: (call) => this.#finished(call),
    };
  }

  get address(): string | undefined {
    return this.#listener?.address;
  }

  get registration(): Service | undefined {
    return this.#registration;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  handle(name: string, handler: object, options: HandleOptions = {}): this {
    if (this.#phase !== 'idle') throw badRequest(`handle('${name}'): add handlers before start()`);
    for (const entry of endpointsOf(name, handler, options.metadata)) {
      if (this.#endpoints.has(entry.name)) throw badRequest(`handle: endpoint '${entry.name}' is already handled`);
      this.#endpoints.set(entry.name, entry);
    }
    return this;
  }

  subscribe<T = unknown>(topic: string, subscriber: Subscriber<T>, options: SubscriberOptions = {}): this {
    if (this.#phase !== 'idle') throw badRequest(`subscribe('${topic}'): add subscribers before start()`);
    if (this.#config.broker === undefined) throw badRequest(`subscribe('${topic}'): the server has no broker`);
    this.#subscribers.push({ topic, subscriber: subscriber as Subscriber, options });
    return this;
  }

  async start(): Promise<void> {
    if (this.#phase !== 'idle') throw badRequest(`server ${this.#config.name} was already started`);
    this.#phase = 'running';
    this.#listener = await this.#config.transport.listen(this.#config.address, (c) => this.#accept(c));
    await this.#startSubscribers();
    this.#registration = this.#describe(this.#listener.address);
    await this.#register();
    // Re-register on a phase of this server's own (seeded jitter): servers started in the same
    // instant would otherwise all re-register in the same instants forever.
    const { runtime, registerIntervalMs } = this.#config;
    this.#reregister = runtime.timers.setTimeout(
      () => {
        void this.#register();
        this.#reregister = runtime.timers.setInterval(() => void this.#register(), registerIntervalMs);
      },
      registerIntervalMs * (0.5 + 0.5 * runtime.random.next()),
    );
  }

  async stop(): Promise<void> {
    if (this.#phase !== 'running') return;
    this.#phase = 'draining';
    this.#reregister?.cancel();
    const registration = this.#registration;
    if (registration !== undefined) {
      await this.#config.registry.deregister(registration).catch((error: unknown) => {
        this.#config.logger.warn('deregister failed', { service: this.#config.name, error: String(error) });
      });
    }
    await Promise.allSettled(this.#subscriptions.splice(0).map((s) => s.unsubscribe()));
    await this.#drain();
    this.#phase = 'stopped';
    await this.#listener?.close();
    for (const mux of this.#muxes) mux.close();
    this.#muxes.clear();
  }

  #accept(connection: Connection): void {
    const window = this.#config.streamWindow;
    const mux = new Mux(connection, {
      role: 'acceptor',
      onStream: (stream) => this.#serve(stream),
      onCall: (call) => this.#serveCall(call),
      ...(window === undefined ? {} : { window }),
    });
    this.#muxes.add(mux);
    mux.onClose(() => this.#muxes.delete(mux));
  }

  #serve(stream: MuxStream): void {
    if (this.#phase !== 'running') {
      stream.fail(unavailable(`${this.#config.name} is shutting down`, { id: this.#config.name }));
      return;
    }
    this.#inFlight.add(stream);
    void serveStream(stream, this.#dispatcher).finally(() => this.#finished(stream));
  }

  #serveCall(call: IncomingCall): void {
    if (this.#phase !== 'running') {
      call.fail(unavailable(`${this.#config.name} is shutting down`, { id: this.#config.name }));
      return;
    }
    this.#inFlight.add(call);
    serveCall(call, this.#dispatcher);
  }

  #finished(served: MuxStream | IncomingCall): void {
    this.#inFlight.delete(served);
    if (this.#inFlight.size === 0) this.#drained?.();
  }

  /** Wait for in-flight calls, at most the drain timeout; then cancel the stragglers. */
  async #drain(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = this.#config.runtime.timers.setTimeout(resolve, this.#config.drainTimeoutMs);
      this.#drained = () => {
        timer.cancel();
        resolve();
      };
    });
    for (const stream of this.#inFlight) {
      stream.fail(unavailable(`${this.#config.name} stopped before the call finished`, { id: this.#config.name }));
    }
  }

  async #register(): Promise<void> {
    if (this.#registration === undefined || this.#phase !== 'running') return;
    try {
      await this.#config.registry.register(this.#registration, { ttlMs: this.#config.registerTtlMs });
    } catch (error) {
      this.#config.logger.warn('register failed; will retry', { service: this.#config.name, error: String(error) });
    }
  }

  async #startSubscribers(): Promise<void> {
    const broker = this.#config.broker;
    if (broker === undefined) return;
    for (const { topic, subscriber, options } of this.#subscribers) {
      const subscription = await broker.subscribe(
        topic,
        async (message) => {
          const codec = this.#config.codecs.forContentType(message.headers['content-type'] ?? 'application/json');
          const { 'content-type': _, ...metadata } = message.headers;
          await subscriber(codec.decode(message.body), this.#subscriberContext(topic, metadata));
        },
        {
          ...(options.queue === undefined ? {} : { queue: options.queue }),
          ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
        },
      );
      this.#subscriptions.push(subscription);
    }
  }

  #subscriberContext(topic: string, metadata: Record<string, string>): CallContext {
    return {
      service: this.#config.name,
      endpoint: topic,
      metadata,
      deadline: undefined,
      signal: new AbortController().signal,
      runtime: this.#config.runtime,
    };
  }

  #describe(address: string): Service {
    const c = this.#config;
    return {
      name: c.name,
      version: c.version,
      metadata: c.metadata,
      endpoints: [...this.#endpoints.values()].map((e) => ({ name: e.name, metadata: e.metadata })),
      nodes: [{ id: this.#nodeId, address, metadata: c.metadata }],
    };
  }
}

export function createServer(options: ServerOptions): RpcServer {
  return new RpcServer(options);
}
