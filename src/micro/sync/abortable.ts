/** Cancellation for driver calls that cannot themselves be cancelled. */
import { cancelled } from '../errors.js';

/** Race `promise` against `signal`; a result that arrives after the abort goes to `onLate`. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onLate: (value: T) => void) {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.then(onLate, () => {});
    return Promise.reject(cancelled('cancelled before it started'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.then(onLate, () => {});
      reject(cancelled('cancelled while waiting'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) reject(error);
      },
    );
  });
}
