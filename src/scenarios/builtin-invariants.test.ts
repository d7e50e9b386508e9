import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../sim/trace.js';
import { BUILTIN_INVARIANTS } from './builtin-invariants.js';
import type { Observation } from './invariant.js';

const grant = (seq: number, time: number, holder: string, token: number, name = 'stock/sku-0'): TraceEvent =>
  ({ seq, time, node: 'locks', type: 'sync.grant', custom: true, name, holder, token, ttlMs: 500 }) as TraceEvent;

const observe = (trace: readonly TraceEvent[]): Observation => ({ history: [], trace, startMs: 0, durationMs: 1_000 });

describe('one-holder-per-token (the lock service, judged by the assertions)', () => {
  const invariant = BUILTIN_INVARIANTS['one-holder-per-token']!({});

  it('holds when every grant of a lock carries a new token', async () => {
    const trace = [
      grant(1, 10, 'inventory-1', 1),
      grant(2, 700, 'inventory-2', 2),
      grant(3, 800, 'inventory-1', 1, 'other'),
    ];
    expect(await invariant.check(observe(trace))).toEqual([]);
  });

  it('names the token handed to two holders', async () => {
    const findings = await invariant.check(observe([grant(1, 10, 'inventory-1', 4), grant(2, 600, 'inventory-2', 4)]));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(/epoch 4 of stock\/sku-0 has two leaders: inventory-1 .* and inventory-2/);
    expect(findings[0]?.at).toBe(600);
  });
});
