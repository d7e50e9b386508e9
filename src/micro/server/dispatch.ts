/**
 * Serve one incoming stream: pick the codec and endpoint, build the call's context (deadline,
 * cancellation, metadata), run the wrapped handler and send what it returns — one reply, or each
 * value of an AsyncIterable as the client's credit allows — or the error it threw.
 */
import type { Codec } from '../codec/types.js';
import { isMicroError, type MicroError, notFound, timeout, toMicroError } from '../errors.js';
import { LazyCallContext } from '../metadata/call-context.js';
import type { TimerHandle } from '../runtime.js';
import type { MuxStream } from '../transport/mux-stream.js';
import type { IncomingCall } from '../transport/mux-unary.js';
import type { EndpointEntry } from './endpoints.js';
import type { ServerConfig } from './options.js';
import type { HandlerFn } from './types.js';

export interface Dispatcher {
  readonly config: ServerConfig;
  readonly endpoints: ReadonlyMap<string, EndpointEntry>;
  readonly invoke: HandlerFn;
  /** Told when a unary call served by `serveCall` (`serve-call.ts`) is over, answered or not. */
  finished(call: IncomingCall): void;
}

export async function serveStream(stream: MuxStream, dispatcher: Dispatcher): Promise<void> {
  const { config } = dispatcher;
  const { runtime } = config;
  const request = stream.request;
  const deadline = request.timeoutMs === undefined ? undefined : runtime.clock.now() + request.timeoutMs;
  const watch = new DeadlineWatch(stream, config, deadline);
  const context = new LazyCallContext(
    { service: config.name, endpoint: request.endpoint, metadata: request.metadata, deadline, runtime },
    () => watch.arm(),
  );
  watch.context = context;
  stream.onTerminate((error) => context.abort(error));
  if (request.input === 'many') watch.arm();
  try {
    const codec = config.codecs.forContentType(request.contentType);
    if (!dispatcher.endpoints.has(request.endpoint)) {
      throw notFound(`${config.name} has no endpoint '${request.endpoint}'`, { id: config.name });
    }
    const body = request.input === 'one' ? decodeFirst(await stream.next(), codec) : decodeAll(stream, codec);
    const { recorder } = config;
    const at = recorder === undefined ? 0 : recorder.started(request.endpoint);
    let result: unknown;
    try {
      result = await dispatcher.invoke({
        service: config.name,
        endpoint: request.endpoint,
        body,
        metadata: request.metadata,
        context,
      });
    } catch (error) {
      recorder?.ended(request.endpoint, at, true, error);
      throw error;
    }
    recorder?.ended(request.endpoint, at, false);
    if (isAsyncIterable(result)) {
      watch.arm();
      for await (const value of result) {
        if (context.aborted) break;
        await stream.send(codec.encode(value));
      }
      stream.end();
    } else await stream.send(codec.encode(result), LAST);
  } catch (thrown) {
    answerError(stream, thrown, config, request.endpoint);
  } finally {
    watch.cancel();
  }
}

/**
 * The server's own deadline timer. It matters only to work that watches the signal or streams;
 * a plain unary handler is bounded by the caller, who times out and cancels by itself. So the
 * timer is armed on the first read of `context.signal`, or when either side streams. (A class,
 * not closures: this runs for every call.)
 */
class DeadlineWatch {
  context: LazyCallContext | undefined;
  readonly #stream: MuxStream;
  readonly #config: ServerConfig;
  readonly #deadline: number | undefined;
  #timer: TimerHandle | undefined;

  constructor(stream: MuxStream, config: ServerConfig, deadline: number | undefined) {
    this.#stream = stream;
    this.#config = config;
    this.#deadline = deadline;
  }

  arm(): void {
    if (this.#deadline === undefined || this.#timer !== undefined) return;
    const { runtime } = this.#config;
    this.#timer = runtime.timers.setTimeout(() => this.#expire(), this.#deadline - runtime.clock.now());
  }

  cancel(): void {
    this.#timer?.cancel();
  }

  #expire(): void {
    const error = timeout(`${this.#stream.request.endpoint} ran past its deadline`, { id: this.#config.name });
    this.context?.abort(error);
    this.#stream.fail(error);
  }
}

function decodeFirst(first: IteratorResult<Uint8Array>, codec: Codec): unknown {
  return first.done ? undefined : codec.decode(first.value);
}

/** The caller's messages, decoded. Leaving the loop early just stops reading (it does not cancel). */
async function* decodeAll(stream: MuxStream, codec: Codec): AsyncGenerator<unknown> {
  for (let next = await stream.next(); !next.done; next = await stream.next()) yield codec.decode(next.value);
}

const LAST = { end: true } as const;

/**
 * Send what a handler threw, unless the call is already over (cancelled or timed out: the caller
 * has its answer). A MicroError travels as is; anything else is logged here and sent as INTERNAL.
 */
export function answerError(
  call: { readonly done: boolean; fail(error: MicroError): void },
  thrown: unknown,
  config: ServerConfig,
  endpoint: string,
): void {
  if (call.done) return;
  if (!isMicroError(thrown)) config.logger.error('handler failed', { endpoint, error: describe(thrown) });
  call.fail(toMicroError(thrown, config.name));
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
}
