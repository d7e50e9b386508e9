/**
 * Runtime: where framework code gets time, timers and randomness. Framework code never reads
 * `Date`, `setTimeout` or `Math.random` directly; it takes a Runtime from its options or
 * context. {@link liveRuntime} (in `live.ts`, the one module allowed to touch the globals) is
 * the default; a simulation hands each node a virtual one with the same shape.
 */

export interface Clock {
  /** Milliseconds since the epoch, as this process (or simulated node) sees it. */
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Run `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Run `fn` every `ms` milliseconds until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle;
}

export interface Random {
  /** A uniform float in [0, 1). */
  next(): number;
}

export interface Runtime {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
}

/** Resolve after `ms` on the runtime's timers; rejects with the signal's reason when aborted. */
export function sleep(runtime: Runtime, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      handle.cancel();
      reject(signal?.reason);
    };
    const handle = runtime.timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A random identifier drawn from the runtime's random source (so it replays in a simulation). */
export function randomId(runtime: Runtime, length = 16): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[Math.floor(runtime.random.next() * alphabet.length)];
  return id;
}
