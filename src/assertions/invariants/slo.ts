/**
 * Client service levels in virtual time: success rate and latency percentiles above (or
 * below) thresholds. Requests come from the trace, or from a history's operations.
 */
import type { History } from '../history.js';
import { toOperations } from '../history.js';
import { OK, ofType, type StructuredEvent, type TraceInvariant, violated } from './types.js';

/** A client request finished (ok or not) after `latencyMs` of virtual time. */
export interface RequestCompleted extends StructuredEvent {
  readonly type: 'request-completed';
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly endpoint?: string;
}

export interface ServiceLevelOptions {
  /** The least fraction of requests that must succeed, in [0, 1]. Default: no requirement. */
  readonly minSuccessRate?: number;
  /** Latency ceilings by percentile, e.g. `{ 50: 20, 99: 250 }` (ms, successful requests). Default: none. */
  readonly maxLatencyMs?: Readonly<Record<number, number>>;
  /** Only requests to this endpoint. Default: all. */
  readonly endpoint?: string;
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function serviceLevel(options: ServiceLevelOptions): TraceInvariant {
  const { minSuccessRate, maxLatencyMs = {}, endpoint } = options;
  if (minSuccessRate !== undefined && !(minSuccessRate >= 0 && minSuccessRate <= 1)) {
    throw new TypeError(`serviceLevel(minSuccessRate): expected a fraction in [0, 1], got ${String(minSuccessRate)}`);
  }
  for (const [p, ms] of Object.entries(maxLatencyMs)) {
    if (!(Number(p) > 0 && Number(p) <= 100) || !(ms >= 0)) {
      throw new TypeError(`serviceLevel(maxLatencyMs): bad entry ${p}: ${String(ms)} (percentile in (0, 100], ms ≥ 0)`);
    }
  }
  const parts = [
    ...(minSuccessRate === undefined ? [] : [`success ≥ ${(minSuccessRate * 100).toFixed(2)}%`]),
    ...Object.entries(maxLatencyMs).map(([p, ms]) => `p${p} ≤ ${ms} ms`),
  ];
  const name = `service level${endpoint ? ` of ${endpoint}` : ''}: ${parts.join(', ') || 'no objectives'}`;
  return {
    name,
    check(events) {
      const requests = ofType<RequestCompleted>(events, 'request-completed').filter(
        (r) => endpoint === undefined || r.endpoint === endpoint,
      );
      if (requests.length === 0) return OK;
      const failed = requests.filter((r) => !r.ok);
      const rate = 1 - failed.length / requests.length;
      if (minSuccessRate !== undefined && rate < minSuccessRate) {
        return violated(
          name,
          `success rate ${(rate * 100).toFixed(2)}% (${failed.length} of ${requests.length} failed) is below ${(minSuccessRate * 100).toFixed(2)}%`,
          failed.slice(0, 20),
        );
      }
      const ok = requests.filter((r) => r.ok);
      const sorted = ok.map((r) => r.latencyMs).sort((a, b) => a - b);
      for (const [p, ceiling] of Object.entries(maxLatencyMs)) {
        const value = percentile(sorted, Number(p));
        if (value > ceiling) {
          const slowest = ok.filter((r) => r.latencyMs > ceiling).sort((a, b) => b.latencyMs - a.latencyMs);
          return violated(
            name,
            `p${p} latency ${value} ms exceeds ${ceiling} ms (${sorted.length} successful requests)`,
            slowest.slice(0, 20),
          );
        }
      }
      return OK;
    },
  };
}

/** A history's completed operations as requests: `ok` succeeded; `fail` and `unknown` did not. Needs times. */
export function requestsFromHistory(history: History): RequestCompleted[] {
  return toOperations(history).flatMap((op): RequestCompleted[] => {
    if (op.start === undefined) return [];
    const end = op.end ?? op.start;
    return [
      { type: 'request-completed', time: end, ok: op.status === 'ok', latencyMs: end - op.start, endpoint: op.f },
    ];
  });
}
