/**
 * The shrinker on planted bugs: a lossy-network failure (the shop's lossy scenario, on a system
 * whose subscriber applies redelivered messages twice) cuts down to the fault that matters; a
 * ratio objective keeps enough operations to stay a ratio; candidates can run several at a time;
 * the budget caps the runs and a cut is never run twice.
 */
import { describe, expect, it } from 'vitest';
import { plantedSystem } from './planted-system.js';
import type { RunResult } from './result.js';
import { runScenario } from './run.js';
import { defineScenario } from './scenario.js';
import { candidateFails, MIN_RATIO_OPERATIONS, type RunCandidate, shrinkRun } from './shrink.js';
import { planWorkload } from './workload.js';

const lossy = defineScenario({
  name: 'lossy network, planted duplicate effects',
  system: plantedSystem,
  options: { noDedupe: true } as never,
  workload: [
    { op: 'publish', rate: '10/s', until: '3s' },
    { op: 'req', rate: '10/s' },
  ],
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

  it('runs candidates several at a time through runCandidate (a seam for a worker pool), with the same result', async () => {
    const failing = await firstFailure(lossy, 10);
    const ops = planWorkload(lossy.workload, failing.seed, lossy.durationMs);
    let started = 0;
    let cancelled = 0;
    // Three "workers" in flight; the runs themselves go one at a time in this thread (two sims must
    // never run at once in one thread, their global patches would interleave — a pool runs them
    // in its workers), so a later candidate may be dropped, through its signal, before it starts.
    let chain: Promise<unknown> = Promise.resolve();
    const runCandidate: RunCandidate = (candidate, signal) => {
      started++;
      const result = chain.then(() => {
        if (signal.aborted) {
          cancelled++;
          throw new Error('cancelled before it started');
        }
        return runScenario(lossy, failing.seed, {
          overrides: { faults: candidate.faults, ops: candidate.ops },
          timeline: 'on-violation',
        });
      });
      chain = result.catch(() => {});
      return result;
    };
    const [batched, plain] = [
      await shrinkRun(lossy, failing, ops, { runCandidate, parallel: 3, budget: 20 }),
      await shrinkRun(lossy, failing, ops, { budget: 20 }),
    ];
    expect(started).toBeGreaterThan(batched?.runs ?? 0);
    expect(cancelled).toBeGreaterThan(0);
    expect(batched?.runs).toBe(plain?.runs);
    expect(batched?.minimal.faults).toEqual(plain?.minimal.faults);
    expect(batched?.minimal.traceHash).toBe(plain?.minimal.traceHash);
  });

  it('stops at its budget and says so, and a cut already judged is not run again', async () => {
    const failing = await firstFailure(lossy, 10);
    const ops = planWorkload(lossy.workload, failing.seed, lossy.durationMs);
    const seen = new Set<string>();
    let repeats = 0;
    const runCandidate: RunCandidate = (candidate) => {
      const key = JSON.stringify([candidate.faults, candidate.ops.map((o) => o.id)]);
      if (seen.has(key)) repeats++;
      seen.add(key);
      return runScenario(lossy, failing.seed, {
        overrides: { faults: candidate.faults, ops: candidate.ops },
        timeline: 'on-violation',
      });
    };
    const capped = await shrinkRun(lossy, failing, ops, { runCandidate, budget: 6 });
    expect(capped?.runs).toBe(6);
    expect(capped?.stoppedAtBudget).toBe(6);
    expect(repeats).toBe(0);
    const full = await shrinkRun(lossy, failing, ops, { runCandidate });
    expect(full?.stoppedAtBudget).toBeUndefined();
    expect(full?.minimal.timeline).toBeDefined();
    await expect(
      candidateFails(lossy, failing.seed, 'no-duplicate-effects', {
        faults: full?.minimal.faults ?? [],
        ops: full?.minimal.replay.ops ?? [],
      }),
    ).resolves.toBe(true);
  });
});
