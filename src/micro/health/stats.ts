/** Counts a node's calls (health checks aside) and keeps its last few, for `Health.Check` and the dashboard. */
import { toMicroError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { HandlerWrapper } from '../server/types.js';
import type { CallRecord } from './types.js';

export const RECENT_CALLS = 20;

export interface CallStats {
  readonly wrapper: HandlerWrapper;
  readonly calls: number;
  readonly errors: number;
  recent(): CallRecord[];
}

export function callStats(runtime: Runtime, keep = RECENT_CALLS): CallStats {
  const ring: CallRecord[] = [];
  let next = 0;
  let calls = 0;
  let errors = 0;
  const record = (entry: CallRecord) => {
    if (ring.length < keep) ring.push(entry);
    else ring[next] = entry;
    next = (next + 1) % keep;
  };
  return {
    wrapper: (invoke) => async (request) => {
      if (request.endpoint.startsWith('Health.')) return invoke(request); // checks are not traffic
      const at = runtime.clock.now();
      calls++;
      try {
        const reply = await invoke(request);
        record({ endpoint: request.endpoint, at, ms: runtime.clock.now() - at });
        return reply;
      } catch (error) {
        errors++;
        record({ endpoint: request.endpoint, at, ms: runtime.clock.now() - at, error: toMicroError(error).code });
        throw error;
      }
    },
    get calls() {
      return calls;
    },
    get errors() {
      return errors;
    },
    recent: () => (ring.length < keep ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
  };
}
