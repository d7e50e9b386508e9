/**
 * The live runtime: the only framework module that reads the wall clock, real timers and
 * `Math.random`. Everything else receives a {@link Runtime}.
 */
import type { Runtime, TimerHandle } from './runtime.js';

export const liveRuntime: Runtime = {
  clock: { now: () => Date.now() },
  timers: {
    setTimeout(fn, ms): TimerHandle {
      const t = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(t) };
    },
    setInterval(fn, ms): TimerHandle {
      const t = setInterval(fn, ms);
      return { cancel: () => clearInterval(t) };
    },
  },
  random: { next: () => Math.random() },
};
