/**
 * Serve one unary call, the mux's fast path (`transport/mux-unary.ts`): no stream, no queue, no
 * async function; one object for the handler's context, its deadline timer and the call's steps.
 */
import type { Codec } from '../codec/types.js';
import { notFound, timeout } from '../errors.js';
import { LazyCallContext } from '../metadata/call-context.js';
import type { TimerHandle } from '../runtime.js';
import type { CallWatcher, IncomingCall } from '../transport/mux-unary.js';
import { fromWire, toWire } from '../transport/values.js';
import { answerError, type Dispatcher, isAsyncIterable } from './dispatch.js';

/**
 * Serve one unary call (the mux's fast path: no stream, no queue). The same steps as a stream
 * whose caller sent one message: codec, endpoint, context, handler, one reply or the error. A
 * handler that returns a stream answers with its first value only (use a stream call for more).
 * Not `async`: the call's one object carries it from the handler's promise to the reply.
 */
export function serveCall(call: IncomingCall, dispatcher: Dispatcher): void {
  const { runtime } = dispatcher.config;
  const timeoutMs = call.request.timeoutMs;
  const served = new ServedCall(
    call,
    dispatcher,
    timeoutMs === undefined ? undefined : runtime.clock.now() + timeoutMs,
  );
  call.watcher = served;
  served.run();
}

/**
 * A unary call's context, its deadline timer and its progress in one object (this runs for every
 * call): the timer is armed on the first read of `signal` — a plain handler is bounded by its
 * caller, who times out and cancels by itself — and the context aborts when the call does.
 */
class ServedCall extends LazyCallContext implements CallWatcher {
  readonly #call: IncomingCall;
  readonly #dispatcher: Dispatcher;
  #timer: TimerHandle | undefined;
  #codec: Codec | undefined;
  /** When the recorder was told the call started (with a recorder). */
  #startedAt = 0;

  constructor(call: IncomingCall, dispatcher: Dispatcher, deadline: number | undefined) {
    const { config } = dispatcher;
    super({
      service: config.name,
      endpoint: call.request.endpoint,
      metadata: call.request.metadata,
      deadline,
      runtime: config.runtime,
    });
    this.#call = call;
    this.#dispatcher = dispatcher;
  }

  run(): void {
    const { config } = this.#dispatcher;
    const call = this.#call;
    const { endpoint } = call.request;
    let body: unknown;
    try {
      const codec = config.codecs.forContentType(call.request.contentType);
      if (!this.#dispatcher.endpoints.has(endpoint)) {
        throw notFound(`${config.name} has no endpoint '${endpoint}'`, { id: config.name });
      }
      body = fromWire(codec, call.body, call.carried);
      this.#codec = codec;
    } catch (thrown) {
      this.#finish(thrown);
      return;
    }
    const { recorder } = config;
    if (recorder !== undefined) this.#startedAt = recorder.started(endpoint);
    let work: Promise<unknown>;
    try {
      work = this.#dispatcher.invoke({
        service: config.name,
        endpoint,
        body,
        metadata: call.request.metadata,
        context: this,
      });
    } catch (thrown) {
      work = Promise.reject(thrown);
    }
    work.then(
      (result) => this.#resolved(result),
      (error: unknown) => this.#rejected(error),
    );
  }

  #resolved(result: unknown): void {
    this.#dispatcher.config.recorder?.ended(this.endpoint, this.#startedAt, false);
    if (!isAsyncIterable(result)) this.#reply(result);
    else
      firstOf(result).then(
        (reply) => this.#reply(reply),
        (error: unknown) => this.#finish(error),
      );
  }

  #rejected(error: unknown): void {
    this.#dispatcher.config.recorder?.ended(this.endpoint, this.#startedAt, true, error);
    this.#finish(error);
  }

  #reply(reply: unknown): void {
    try {
      const message = toWire(this.#codec!, reply, this.#call.values, this.endpoint, 'reply');
      this.#call.reply(message.body, message.carried);
    } catch (thrown) {
      this.#finish(thrown);
      return;
    }
    this.#done();
  }

  /** Answer with the error (unless the call is already over), then be done. */
  #finish(thrown: unknown): void {
    answerError(this.#call, thrown, this.#dispatcher.config, this.endpoint);
    this.#done();
  }

  #done(): void {
    this.#timer?.cancel();
    this.#dispatcher.finished(this.#call);
  }

  protected override firstSignal(): void {
    const deadline = this.deadline;
    if (deadline === undefined || this.#timer !== undefined) return;
    const { runtime } = this.#dispatcher.config;
    this.#timer = runtime.timers.setTimeout(() => this.#expire(), deadline - runtime.clock.now());
  }

  #expire(): void {
    const error = timeout(`${this.endpoint} ran past its deadline`, { id: this.#dispatcher.config.name });
    this.abort(error);
    this.#call.fail(error);
  }
}

/** The first value of a stream a unary call was answered with; the rest is not read. */
async function firstOf(values: AsyncIterable<unknown>): Promise<unknown> {
  for await (const value of values) return value;
  return undefined;
}
