import { describe, expect, it } from 'vitest';
import type { History } from '../history.js';
import { percentile, requestsFromHistory, serviceLevel } from './slo.js';

const request = (ok: boolean, latencyMs: number) => ({ type: 'request-completed', time: 0, ok, latencyMs });
const hundred = (slow: number) => Array.from({ length: 100 }, (_, i) => request(true, i < 100 - slow ? 10 : 500));

describe('client service level in virtual time', () => {
  it('holds when success rate and percentiles are within their objectives', () => {
    const slo = serviceLevel({ minSuccessRate: 0.95, maxLatencyMs: { 50: 20, 99: 600 } });
    expect(slo.check([...hundred(1), request(false, 3)]).type).toBe('ok');
  });

  it('is violated by too many failures', () => {
    const verdict = serviceLevel({ minSuccessRate: 0.99 }).check([
      ...hundred(0),
      ...Array.from({ length: 5 }, () => request(false, 1)),
    ]);
    expect(verdict.type).toBe('violated');
    if (verdict.type === 'violated')
      expect(verdict.message).toBe('success rate 95.24% (5 of 105 failed) is below 99.00%');
  });

  it('is violated by a slow tail, listing the slowest requests', () => {
    const verdict = serviceLevel({ maxLatencyMs: { 99: 100 } }).check(hundred(2));
    expect(verdict).toMatchObject({
      type: 'violated',
      message: 'p99 latency 500 ms exceeds 100 ms (100 successful requests)',
    });
    if (verdict.type === 'violated') expect(verdict.events).toHaveLength(2);
  });

  it('reads requests from a history with virtual times', () => {
    const history: History = [
      { type: 'invoke', process: 0, f: 'get', value: null, time: 10 },
      { type: 'ok', process: 0, f: 'get', value: 1, time: 35 },
      { type: 'invoke', process: 1, f: 'put', value: 1, time: 11 },
      { type: 'fail', process: 1, f: 'put', value: 1, time: 12 },
    ];
    expect(requestsFromHistory(history).map((r) => [r.ok, r.latencyMs])).toEqual([
      [true, 25],
      [false, 1],
    ]);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});
