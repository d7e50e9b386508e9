/**
 * Serve one unary call, the mux's fast path (`transport/mux-unary.ts`): no stream, no queue, one
 * object for the handler's context and its deadline timer.
 */
import { notFound, timeout } from '../errors.js';
import { LazyCallContext } from '../metadata/call-context.js';
import type { TimerHandle } from '../runtime.js';
import type { CallWatcher, IncomingCall } from '../transport/mux-unary.js';
import { fromWire, toWire } from '../transport/values.js';
import { answerError, type Dispatcher, isAsyncIterable } from './dispatch.js';
import type { ServerConfig } from './options.js';

/**
 * Serve one unary call (the mux's fast path: no stream, no queue). The same steps as a stream
 * whose caller sent one message: codec, endpoint, context, handler, one reply or the error. A
 * handler that returns a stream answers with its first value only (use a stream call for more).
 */
export async function serveCall(call: IncomingCall, dispatcher: Dispatcher): Promise<void> {
  const { config } = dispatcher;
  const { runtime } = config;
  const request = call.request;
  const deadline = request.timeoutMs === undefined ? undefined : runtime.clock.now() + request.timeoutMs;
  const context = new CallDeadline(call, config, deadline);
  call.watcher = context;
  try {
    const codec = config.codecs.forContentType(request.contentType);
    if (!dispatcher.endpoints.has(request.endpoint)) {
      throw notFound(`${config.name} has no endpoint '${request.endpoint}'`, { id: config.name });
    }
    const body = fromWire(codec, call.body, call.carried);
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
    const reply = isAsyncIterable(result) ? await firstOf(result) : result;
    const message = toWire(codec, reply, call.values, request.endpoint, 'reply');
    call.reply(message.body, message.carried);
  } catch (thrown) {
    answerError(call, thrown, config, request.endpoint);
  } finally {
    context.cancelTimer();
    dispatcher.finished(call);
  }
}

/**
 * A unary call's context and its deadline timer in one object (this runs for every call): the
 * timer is armed on the first read of `signal` — a plain handler is bounded by its caller, who
 * times out and cancels by itself — and the context aborts when the call does.
 */
class CallDeadline extends LazyCallContext implements CallWatcher {
  readonly #call: IncomingCall;
  readonly #config: ServerConfig;
  #timer: TimerHandle | undefined;

  constructor(call: IncomingCall, config: ServerConfig, deadline: number | undefined) {
    super({
      service: config.name,
      endpoint: call.request.endpoint,
      metadata: call.request.metadata,
      deadline,
      runtime: config.runtime,
    });
    this.#call = call;
    this.#config = config;
  }

  protected override firstSignal(): void {
    const deadline = this.deadline;
    if (deadline === undefined || this.#timer !== undefined) return;
    const { runtime } = this.#config;
    this.#timer = runtime.timers.setTimeout(() => this.#expire(), deadline - runtime.clock.now());
  }

  cancelTimer(): void {
    this.#timer?.cancel();
  }

  #expire(): void {
    const error = timeout(`${this.endpoint} ran past its deadline`, { id: this.#config.name });
    this.abort(error);
    this.#call.fail(error);
  }
}

/** The first value of a stream a unary call was answered with; the rest is not read. */
async function firstOf(values: AsyncIterable<unknown>): Promise<unknown> {
  for await (const value of values) return value;
  return undefined;
}
