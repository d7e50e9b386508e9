/**
 * The one module of assertions/ that reads the wall clock: the default clock for the
 * checker's time limit. Checking is not simulated — how long a search may run is a property
 * of the machine — but callers that want a reproducible limit pass their own clock.
 */
import type { ClockLike } from './recorder.js';

export const wallClock: ClockLike = { now: () => performance.now() };
