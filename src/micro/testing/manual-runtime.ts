/**
 * A manual Runtime for unit tests: virtual time that moves only when the test says so, and a
 * seeded random source. Lighter than a simulation when a test needs one process, not a network.
 *
 *   const rt = manualRuntime({ seed: 1 });
 *   const p = sleep(rt, 100);
 *   await rt.advance(100); // fires the timer and lets promise callbacks run
 */
import FakeTimers from '@sinonjs/fake-timers';
import seedrandom from 'seedrandom';
import type { Runtime } from '../runtime.js';

export interface ManualRuntime extends Runtime {
  /** Move virtual time forward by `ms`, firing due timers and draining promise callbacks between them. */
  advance(ms: number): Promise<void>;
  /** Let pending promise callbacks run without moving time. */
  flush(): Promise<void>;
}

export function manualRuntime(
  options: { readonly seed?: number | string; readonly startTime?: number } = {},
): ManualRuntime {
  const clock = FakeTimers.createClock(options.startTime ?? 1_700_000_000_000);
  const rng = seedrandom(String(options.seed ?? 1));
  return {
    clock: { now: () => clock.now },
    timers: {
      setTimeout(fn, ms) {
        const id = clock.setTimeout(fn, ms);
        return { cancel: () => clock.clearTimeout(id) };
      },
      setInterval(fn, ms) {
        const id = clock.setInterval(fn, ms);
        return { cancel: () => clock.clearInterval(id) };
      },
    },
    random: { next: () => rng() },
    async advance(ms) {
      await clock.tickAsync(ms);
    },
    async flush() {
      await clock.tickAsync(0);
    },
  };
}
