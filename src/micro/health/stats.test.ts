import { describe, expect, it } from 'vitest';
import { notFound } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { callStats } from './stats.js';

/** A runtime whose clock the test moves; nothing else is used. */
function clocked() {
  const time = { now: 1000 };
  const runtime = { clock: { now: () => time.now } } as unknown as Runtime;
  return { time, runtime };
}

describe('callStats', () => {
  it('keeps the last `keep` calls oldest first, with durations and error codes, and skips Health.*', () => {
    const { time, runtime } = clocked();
    const stats = callStats(runtime, 3);
    const call = (endpoint: string, ms: number, error?: unknown) => {
      const at = stats.recorder.started(endpoint);
      time.now += ms;
      stats.recorder.ended(endpoint, at, error !== undefined, error);
    };
    call('A.one', 1);
    call('Health.Check', 5);
    call('A.two', 2, notFound('gone'));
    expect(stats.recent()).toEqual([
      { endpoint: 'A.one', at: 1000, ms: 1 },
      { endpoint: 'A.two', at: 1006, ms: 2, error: 'NOT_FOUND' },
    ]);
    call('A.three', 3);
    call('A.four', 4, new Error('boom'));
    expect(stats.recent().map((r) => [r.endpoint, r.ms, r.error])).toEqual([
      ['A.two', 2, 'NOT_FOUND'],
      ['A.three', 3, undefined],
      ['A.four', 4, 'INTERNAL'],
    ]);
    expect(Object.keys(stats.recent()[1] ?? {})).toEqual(['endpoint', 'at', 'ms']);
    expect([stats.calls, stats.errors]).toEqual([4, 2]);
  });
});
