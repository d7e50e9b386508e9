/**
 * Typed proxies. `client.proxy<Greeter>('greeter', 'Greeter')` returns an object whose methods
 * mirror the handler's: a method whose handler returns a value gives a Promise of it; one whose
 * handler returns an AsyncIterable gives a ResponseStream; passing an AsyncIterable as the request
 * streams it to the server with back-pressure. The call starts when the result is awaited or
 * iterated, so one object serves both shapes without code generation.
 */
import type { CallOptions, Client, ClientStream, ResponseStream, ServiceProxy } from './types.js';

export function createProxy<T>(client: Client, service: string, handler: string, base: CallOptions): ServiceProxy<T> {
  return new Proxy(Object.create(null) as object, {
    get(_target, property) {
      // Not a method: keeps `await proxy` and inspection from treating the proxy as a thenable.
      if (typeof property !== 'string' || property === 'then') return undefined;
      const endpoint = `${handler}.${property}`;
      return (request: unknown, options: CallOptions = {}) =>
        new ProxyCall(client, service, endpoint, request, { ...base, ...options });
    },
  }) as ServiceProxy<T>;
}

/** One proxied call: a Promise of the single reply, and an async iterable of the replies. */
class ProxyCall<Res> implements Promise<Res>, ResponseStream<Res> {
  readonly [Symbol.toStringTag] = 'ProxyCall';
  readonly #client: Client;
  readonly #service: string;
  readonly #endpoint: string;
  readonly #request: unknown;
  readonly #options: CallOptions;
  readonly #abort = new AbortController();
  #reply: Promise<Res> | undefined;

  constructor(client: Client, service: string, endpoint: string, request: unknown, options: CallOptions) {
    this.#client = client;
    this.#service = service;
    this.#endpoint = endpoint;
    this.#request = request;
    const signal =
      options.signal === undefined ? this.#abort.signal : AbortSignal.any([options.signal, this.#abort.signal]);
    this.#options = { ...options, signal };
  }

  get signal(): AbortSignal {
    return this.#options.signal!;
  }

  cancel(reason = 'cancelled by the caller'): void {
    this.#abort.abort(reason);
  }

  // biome-ignore lint/suspicious/noThenProperty: a ProxyCall is a real (lazy) promise by design.
  then<A = Res, B = never>(
    onFulfilled?: ((value: Res) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#single().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<Res | B> {
    return this.#single().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<Res> {
    return this.#single().finally(onFinally);
  }

  [Symbol.asyncIterator](): AsyncIterator<Res> {
    if (!isAsyncIterable(this.#request)) {
      return this.#client
        .serverStream<Res>(this.#service, this.#endpoint, this.#request, this.#options)
        [Symbol.asyncIterator]();
    }
    const opening = this.#openAndPump();
    return {
      next: async () => (await opening)[Symbol.asyncIterator]().next(),
      return: async () => {
        (await opening).cancel('the caller stopped reading');
        return { value: undefined, done: true };
      },
    };
  }

  #single(): Promise<Res> {
    this.#reply ??= isAsyncIterable(this.#request)
      ? this.#openAndPump().then((stream) => stream.response({ end: false }))
      : this.#client.call<Res>(this.#service, this.#endpoint, this.#request, this.#options);
    return this.#reply;
  }

  async #openAndPump(): Promise<ClientStream<unknown, Res>> {
    const stream = await this.#client.stream<unknown, Res>(this.#service, this.#endpoint, this.#options);
    void pump(this.#request as AsyncIterable<unknown>, stream);
    return stream;
  }
}

/** Send every message of `input`, waiting for credit; stop when the stream ends. */
async function pump(input: AsyncIterable<unknown>, stream: ClientStream<unknown, unknown>): Promise<void> {
  try {
    for await (const message of input) {
      if (stream.signal.aborted) return;
      await stream.send(message);
    }
    stream.end();
  } catch {
    stream.cancel('the request stream failed');
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
