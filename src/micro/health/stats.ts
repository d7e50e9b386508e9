/** Counts a node's calls (health checks aside) and keeps its last few, for `Health.Check` and the dashboard. */
import { toMicroError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { CallRecorder } from '../server/types.js';
import type { CallRecord } from './types.js';

export const RECENT_CALLS = 20;

export interface CallStats {
  /** Given to the server (`recorder`): told of each call, synchronously. */
  readonly recorder: CallRecorder;
  readonly calls: number;
  readonly errors: number;
  recent(): CallRecord[];
}

/** Health checks are not traffic. */
const counted = (endpoint: string) => !endpoint.startsWith('Health.');

/**
 * The last `keep` calls live in parallel arrays (no object per call; this runs for every call);
 * `recent()` makes the records when a reader asks.
 */
export function callStats(runtime: Runtime, keep = RECENT_CALLS): CallStats {
  const endpoints: string[] = [];
  const starts: number[] = [];
  const durations: number[] = [];
  const codes: (string | undefined)[] = [];
  let next = 0;
  let calls = 0;
  let errors = 0;
  const recorder: CallRecorder = {
    started(endpoint) {
      if (counted(endpoint)) calls++;
      return runtime.clock.now();
    },
    ended(endpoint, at, failed, error) {
      if (!counted(endpoint)) return;
      if (failed) errors++;
      endpoints[next] = endpoint;
      starts[next] = at;
      durations[next] = runtime.clock.now() - at;
      codes[next] = failed ? toMicroError(error).code : undefined;
      next = (next + 1) % keep;
    },
  };
  const record = (i: number): CallRecord => {
    const code = codes[i];
    const base = { endpoint: endpoints[i] as string, at: starts[i] as number, ms: durations[i] as number };
    return code === undefined ? base : { ...base, error: code };
  };
  return {
    recorder,
    get calls() {
      return calls;
    },
    get errors() {
      return errors;
    },
    recent: () => {
      const n = endpoints.length;
      const oldest = n < keep ? 0 : next;
      return Array.from({ length: n }, (_, k) => record((oldest + k) % keep));
    },
  };
}
