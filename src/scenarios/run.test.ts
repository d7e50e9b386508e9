import { describe, expect, it } from 'vitest';
import { foundExpected, huntOutcome } from './hunt.js';
import { runScenario } from './run.js';
import { defineScenario } from './scenario.js';
import { counterSystem } from './test-system.js';

const crashTheCounter = (durable: boolean, expectViolated?: string) =>
  defineScenario({
    ...(expectViolated === undefined ? {} : { expect: { violated: expectViolated } }),
    name: durable ? 'durable counter survives a crash' : 'volatile counter loses acks',
    system: counterSystem,
    options: { durable },
    workload: [{ op: 'inc', rate: '50/s' }],
    faults: ['at 1s crash counter for 200ms'],
    invariants: ['acked-not-lost'],
    duration: '2s',
  });

describe('running a scenario for a seed', () => {
  it('finds the lost acknowledgements when the counter keeps its count in memory', async () => {
    const result = await runScenario(crashTheCounter(false), 1);
    expect(result.outcome).toBe('violated');
    expect(result.passed).toBe(false);
    expect(result.verdicts[0]?.violations[0]?.message).toMatch(/increments acknowledged, but the count is/);
    expect(result.timeline?.faults[0]).toMatchObject({ at: 1000, until: 1200, label: 'crash counter for 200ms' });
  });

  it('holds every invariant when the counter syncs to disk', async () => {
    const result = await runScenario(crashTheCounter(true), 1);
    expect(result.outcome).toBe('held');
    expect(result.passed).toBe(true);
    expect(result.operations.ok).toBeGreaterThan(50);
    expect(result.timeline).toBeUndefined();
  });

  it('reproduces the same trace hash for the same seed, and a different one for another seed', async () => {
    const scenario = crashTheCounter(false);
    const [a, b, c] = [await runScenario(scenario, 3), await runScenario(scenario, 3), await runScenario(scenario, 4)];
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.traceHash).not.toBe(c.traceHash);
    expect(a.replayCommand).toBe("npx microcosm run '<inline>' --seed 3");
  });

  it('counts a bug-hunt as found only when the expected invariant is violated, and a miss is no failure', async () => {
    const hunt = (durable: boolean) => crashTheCounter(durable, 'acked-not-lost');
    const found = await runScenario(hunt(false), 1);
    const missed = await runScenario(hunt(true), 1);
    expect([foundExpected(found), found.passed]).toEqual([true, true]);
    expect([foundExpected(missed), missed.passed]).toEqual([false, true]);
    expect(huntOutcome([found, missed])).toMatchObject({ found: 1, seeds: 2, minSeeds: 1, passed: true });
    expect(huntOutcome([missed, missed])).toMatchObject({ found: 0, passed: false });
  });

  it('reports an unknown invariant as a run error naming the available ones', async () => {
    const scenario = defineScenario({
      name: 'typo',
      system: counterSystem,
      invariants: ['acked-not-lsot'],
      duration: '100ms',
    });
    const result = await runScenario(scenario, 1);
    expect(result.outcome).toBe('error');
    expect(result.error).toContain(
      'unknown invariant "acked-not-lsot"; available: acked-not-lost, at-most-one-leader-per-epoch, delivered-within',
    );
  });
});
