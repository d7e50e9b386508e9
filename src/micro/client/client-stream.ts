/**
 * The client's view of a stream: typed messages over a {@link MuxStream}, a deadline and the
 * caller's cancellation signals. Finishing the reply iteration early (break, `cancel()`, an
 * aborted signal, the deadline) cancels the stream on both sides.
 */
import type { Codec } from '../codec/types.js';
import { cancelled, internal, isMicroError, timeout } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { MuxStream } from '../transport/mux-stream.js';
import type { ClientStream } from './types.js';

export interface StreamSetup {
  readonly runtime: Runtime;
  readonly codec: Codec;
  readonly deadline: number | undefined;
  readonly signals: ReadonlyArray<AbortSignal | undefined>;
  readonly what: string;
  /** Runs once when the stream is finished, cancelled or failed (the selector's call accounting). */
  readonly onRelease?: () => void;
}

export class RpcClientStream<Req, Res> implements ClientStream<Req, Res> {
  readonly #stream: MuxStream;
  readonly #setup: StreamSetup;
  readonly #cleanups: Array<() => void> = [];
  #stopError: Error | undefined;
  #released = false;

  constructor(stream: MuxStream, setup: StreamSetup) {
    this.#stream = stream;
    this.#setup = setup;
    for (const signal of setup.signals) {
      if (signal === undefined) continue;
      const onAbort = () =>
        this.#stop(cancelled(`${setup.what} was cancelled`, { id: 'client', cause: signal.reason }));
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (setup.deadline !== undefined) {
      const expire = () => this.#stop(timeout(`${setup.what} ran out of time (deadline passed)`, { id: 'client' }));
      const timer = setup.runtime.timers.setTimeout(expire, Math.max(0, setup.deadline - setup.runtime.clock.now()));
      this.#cleanups.push(() => timer.cancel());
    }
    stream.signal.addEventListener('abort', () => this.#release(), { once: true });
  }

  get signal(): AbortSignal {
    return this.#stream.signal;
  }

  async send(message: Req): Promise<void> {
    if (this.#stopError !== undefined) throw this.#stopError;
    await this.#stream.send(this.#setup.codec.encode(message));
  }

  end(): void {
    this.#stream.end();
  }

  cancel(reason = 'cancelled by the caller'): void {
    this.#stream.cancel(reason);
    this.#release();
  }

  async response(options: { readonly end?: boolean } = {}): Promise<Res> {
    if (options.end !== false) this.end();
    const first = await this.#read();
    if (first.done) throw internal(`${this.#setup.what}: the server ended without a reply`, { id: 'client' });
    this.#finished();
    return first.value;
  }

  [Symbol.asyncIterator](): AsyncIterator<Res> {
    return {
      next: async () => {
        const result = await this.#read();
        if (result.done) this.#finished();
        return result;
      },
      return: async () => {
        this.cancel('the caller stopped reading');
        return { value: undefined, done: true };
      },
    };
  }

  async #read(): Promise<IteratorResult<Res>> {
    try {
      const result = await this.#stream.next();
      if (this.#stopError !== undefined) throw this.#stopError;
      return result.done ? result : { value: this.#setup.codec.decode(result.value) as Res, done: false };
    } catch (error) {
      throw this.#stopError ?? (isMicroError(error) ? error : internal('stream failed', { cause: error }));
    }
  }

  /** The server finished its side: drop what is left of ours and free the stream. */
  #finished(): void {
    if (!this.#stream.done) this.#stream.cancel('the reply is complete');
    this.#release();
  }

  #stop(error: Error): void {
    if (this.#stopError !== undefined) return;
    this.#stopError = error;
    this.#stream.cancel(error.message);
    this.#release();
  }

  #release(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (this.#released) return;
    this.#released = true;
    this.#setup.onRelease?.();
  }
}
