/**
 * Race a promise against a deadline (in the runtime's clock) and cancellation signals: the first
 * to happen wins. On expiry or abort, `onStop` runs (e.g. to cancel the stream) and the race
 * rejects with TIMEOUT or CANCELLED naming `what`.
 */
import { cancelled, isMicroError, timeout } from '../errors.js';
import type { Runtime } from '../runtime.js';

export interface RaceOptions {
  readonly runtime: Runtime;
  readonly deadline: number | undefined;
  readonly signals: ReadonlyArray<AbortSignal | undefined>;
  readonly what: string;
  readonly onStop: () => void;
}

export function raceDeadline<T>(work: Promise<T>, options: RaceOptions): Promise<T> {
  const { runtime, deadline, signals, what, onStop } = options;
  return new Promise<T>((resolve, reject) => {
    const cleanups: Array<() => void> = [];
    const finish = (settle: () => void) => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      settle();
    };
    const stop = (error: Error) =>
      finish(() => {
        onStop();
        reject(error);
      });
    for (const signal of signals) {
      if (signal === undefined) continue;
      const onAbort = () => stop(abortError(signal.reason, what));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (deadline !== undefined) {
      const left = deadline - runtime.clock.now();
      const expire = () => stop(timeout(`${what} ran out of time (deadline passed)`, { id: 'client' }));
      if (left <= 0) {
        expire();
        return;
      }
      const timer = runtime.timers.setTimeout(expire, left);
      cleanups.push(() => timer.cancel());
    }
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

function abortError(reason: unknown, what: string): Error {
  if (isMicroError(reason)) return reason;
  return cancelled(`${what} was cancelled`, { id: 'client', retryable: false, cause: reason });
}
