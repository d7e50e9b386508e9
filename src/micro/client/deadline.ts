/**
 * Race a promise against a deadline (in the runtime's clock) and cancellation signals: the first
 * to happen wins. On expiry or abort, `stop` is cancelled (e.g. the call's stream) and the race
 * rejects with TIMEOUT or CANCELLED naming `what`. With neither a deadline nor a signal there is
 * nothing to race, and the work itself is returned.
 */
import { cancelled, isMicroError, type MicroError, timeout } from '../errors.js';
import { asMicroError, isNodeFault } from './faults.js';
import type { AbortWatcher, Watchable } from '../metadata/call-context.js';
import type { Runtime, TimerHandle } from '../runtime.js';
import type { Codec } from '../codec/types.js';
import type { Mux } from '../transport/mux.js';
import type { OpenRequest } from '../transport/mux-frames.js';
import type { Carried } from '../transport/types.js';
import { fromWire, type WireMessage } from '../transport/values.js';

/** Something the race cancels when it gives up on the work (with a reason naming `what`). */
export interface Stoppable {
  cancel(reason: string): void;
}

export interface RaceOptions {
  readonly runtime: Runtime;
  readonly deadline: number | undefined;
  readonly signals: ReadonlyArray<AbortSignal | undefined>;
  /** A parent call's context, watched without an AbortSignal. Default: none. */
  readonly watch?: Watchable | undefined;
  readonly what: string;
  /** Cancelled with `<what> gave up` when the deadline passes or a signal aborts. Default: nothing. */
  readonly stop?: Stoppable;
}

export function raceDeadline<T>(work: Promise<T>, options: RaceOptions): Promise<T> {
  if (
    options.deadline === undefined &&
    options.watch === undefined &&
    options.signals.every((signal) => signal === undefined)
  )
    return work;
  return new Promise<T>((resolve, reject) => new Race(options, resolve, reject).start(work));
}

/**
 * A unary call on `mux` raced like `raceDeadline` races work: the reply's body, or TIMEOUT /
 * CANCELLED (the call is then cancelled on the wire), or the call's own error. One object and one
 * promise per call: the race is the call's receiver, so the mux needs no promise of its own.
 */
export function raceCall(
  mux: Mux,
  request: OpenRequest,
  message: WireMessage,
  codec: Codec,
  options: RaceOptions,
  outcome?: Outcome,
): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const race = new Race<unknown>(options, resolve, reject, codec, outcome);
    if (!race.arm()) return;
    try {
      race.stopWith(mux.call(request, message.body, race, message.carried));
    } catch (error) {
      race.onError(error);
    }
  });
}

/** Who hears whether a raced call went well for the node (a client's target: selector and breaker). */
export interface Outcome {
  done(ok: boolean): void;
}

/**
 * One race's state. A class rather than closures: a call races once or twice, and closures
 * (one per listener, timer and outcome) are a measurable share of a call's cost.
 */
class Race<T> implements AbortWatcher {
  readonly #options: RaceOptions;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  #stop: Stoppable | undefined;
  #listening: AbortSignal[] | undefined;
  #timer: TimerHandle | undefined;
  #settled = false;
  /** A unary call's codec, which decodes its reply. */
  readonly #codec: Codec | undefined;
  readonly #outcome: Outcome | undefined;

  constructor(
    options: RaceOptions,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
    codec?: Codec,
    outcome?: Outcome,
  ) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#stop = options.stop;
    this.#codec = codec;
    this.#outcome = outcome;
  }

  start(work: Promise<T>): void {
    if (!this.arm()) return;
    work.then(
      (value) => {
        if (this.#finish()) this.#resolve(value);
      },
      (error: unknown) => {
        if (this.#finish()) this.#reject(error);
      },
    );
  }

  /** Watch the context and signals and start the deadline timer; false if the race is already lost. */
  arm(): boolean {
    const { runtime, deadline, signals, what, watch } = this.#options;
    if (watch !== undefined) {
      if (watch.aborted) {
        this.#lose(abortError(watch.reason, what));
        return false;
      }
      watch.watch(this);
    }
    for (const signal of signals) {
      if (signal === undefined) continue;
      if (signal.aborted) {
        this.#lose(abortError(signal.reason, what));
        return false;
      }
      signal.addEventListener('abort', this, { once: true });
      (this.#listening ??= []).push(signal);
    }
    if (deadline !== undefined) {
      const left = deadline - runtime.clock.now();
      if (left <= 0) {
        this.#expire();
        return false;
      }
      this.#timer = runtime.timers.setTimeout(() => this.#expire(), left);
    }
    return true;
  }

  /** What to cancel when the race is lost (the call, once it is made). */
  stopWith(stop: Stoppable): void {
    this.#stop = stop;
  }

  /** The call's reply (as a unary receiver), decoded. */
  onReply(body: Uint8Array, carried: Carried | undefined): void {
    if (!this.#finish()) return;
    this.#outcome?.done(true);
    try {
      this.#resolve(fromWire(this.#codec!, body, carried) as T);
    } catch (error) {
      this.#reject(error);
    }
  }

  /** The call's failure (as a unary receiver). */
  onError(thrown: unknown): void {
    if (!this.#finish()) return;
    const error = this.#outcome === undefined ? thrown : asMicroError(thrown);
    this.#outcome?.done(!isNodeFault(error as MicroError));
    this.#reject(error);
  }

  /** The watched context aborted. */
  onAbort(reason: unknown): void {
    this.#lose(abortError(reason, this.#options.what));
  }

  /** A signal aborted (the race listens as an EventListener object). */
  handleEvent(event: Event): void {
    this.#lose(abortError((event.target as AbortSignal).reason, this.#options.what));
  }

  #expire(): void {
    this.#lose(timeout(`${this.#options.what} ran out of time (deadline passed)`, { id: 'client' }));
  }

  #lose(error: Error): void {
    if (!this.#finish()) return;
    this.#stop?.cancel(`${this.#options.what} gave up`);
    this.#outcome?.done(!isNodeFault(asMicroError(error)));
    this.#reject(error);
  }

  /** Settle once: drop the timer and listeners; false if the race was already decided. */
  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#timer?.cancel();
    this.#options.watch?.unwatch(this);
    for (const signal of this.#listening ?? NONE) signal.removeEventListener('abort', this);
    return true;
  }
}

const NONE: readonly AbortSignal[] = [];

function abortError(reason: unknown, what: string): Error {
  if (isMicroError(reason)) return reason;
  return cancelled(`${what} was cancelled`, { id: 'client', retryable: false, cause: reason });
}
