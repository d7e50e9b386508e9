/**
 * The shrinker on planted bugs: a lossy-network failure (the shop's lossy scenario, on a system
 * whose subscriber applies redelivered messages twice) cuts down to the fault that matters; a
 * ratio objective keeps enough operations to stay a ratio; candidates can be judged in batches.
 */
import { describe, expect, it } from 'vitest';
import { plantedSystem } from './planted-system.js';
import type { RunResult } from './result.js';
import { runScenario } from './run.js';
import { defineScenario } from './scenario.js';
import { candidateFails, type EvaluateCandidates, MIN_RATIO_OPERATIONS, shrinkRun } from './shrink.js';
import { planWorkload } from './workload.js';

const lossy = defineScenario({
  name: 'lossy network, planted duplicate effects',
  system: plantedSystem,
  options: { noDedupe: true } as never,
  workload: [{ op: 'publish', rate: '10/s', until: '3s' }, { op: 'req', rate: '10/s' }],
  faults: [
    { at: 0, type: 'latency', from: '*', to: '*', latency: { type: 'uniform', min: 1, max: 20 } },
    'at 0ms loss * -> * 0.05',
    'at 0ms duplicate * -> * 0.02',
    'at 0ms reorder * -> * 0.2',
  ],
  invariants: ['no-duplicate-effects'],
  duration: '5s',
});

async function firstFailure(scenario: typeof lossy, seeds: number): Promise<RunResult> {
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runScenario(scenario, seed, { timeline: 'never' });
    if (result.outcome === 'violated') return result;
  }
  throw new Error(`no seed of ${seeds} failed`);
}

describe('shrinking', () => {
  it('cuts a lossy-network failure down to at most 2 of its 4 faults, and it still fails', async () => {
    const failing = await firstFailure(lossy, 10);
    const ops = planWorkload(lossy.workload, failing.seed, lossy.durationMs);
    const shrink = await shrinkRun(lossy, failing, ops);
    expect(shrink?.faultsBefore).toBe(4);
    expect(shrink?.faultsAfter).toBeLessThanOrEqual(2);
    expect(shrink?.opsAfter).toBeLessThan(ops.length / 2);
    expect(shrink?.minimal.verdicts[0]?.holds).toBe(false);
    console.log(
      `lossy planted (seed ${failing.seed}): ${shrink?.faultsBefore}→${shrink?.faultsAfter} faults, ${shrink?.opsBefore}→${shrink?.opsAfter} ops in ${shrink?.runs} runs`,
    );
  });

  it('keeps enough operations for a ratio objective to stay a ratio', async () => {
    const flaky = defineScenario({
      name: 'flaky',
      system: plantedSystem,
      options: { failRate: 0.3 } as never,
      workload: [{ op: 'req', rate: '40/s' }],
      invariants: [{ name: 'success-rate', min: 0.9 }],
      duration: '3s',
    });
    const failing = await firstFailure(flaky, 3);
    const ops = planWorkload(flaky.workload, failing.seed, flaky.durationMs);
    const shrink = await shrinkRun(flaky, failing, ops, { budget: 30 });
    expect(shrink?.opsAfter).toBeGreaterThanOrEqual(MIN_RATIO_OPERATIONS);
    expect(shrink?.opsAfter).toBeLessThan(ops.length);
    expect(shrink?.minimal.verdicts[0]?.holds).toBe(false);
  });

  it('judges candidates through a batch evaluator (a seam for a worker pool), with the same result', async () => {
    const failing = await firstFailure(lossy, 10);
    const ops = planWorkload(lossy.workload, failing.seed, lossy.durationMs);
    const batches: number[] = [];
    const evaluate: EvaluateCandidates = async (candidates, { scenario, seed, target }) => {
      batches.push(candidates.length);
      return Promise.all(candidates.map((c) => candidateFails(scenario, seed, target, c)));
    };
    const [batched, plain] = [
      await shrinkRun(lossy, failing, ops, { evaluate, budget: 20 }),
      await shrinkRun(lossy, failing, ops, { budget: 20 }),
    ];
    expect(batches[0]).toBe(4);
    expect(batched?.minimal.faults).toEqual(plain?.minimal.faults);
    expect(batched?.minimal.traceHash).toBe(plain?.minimal.traceHash);
  });
});
