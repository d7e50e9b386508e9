/**
 * Shrink a failing run to a minimal failing case with fast-check: the fault schedule and the
 * workload are subarrays of the ones that failed, the failing pair is handed to `fc.check` as
 * its one example, and fast-check's own shrinker cuts it down while the same invariant still
 * breaks. Every candidate is a full deterministic run of the same seed, so the minimal case
 * replays byte for byte from its report.
 */
import fc from 'fast-check';
import type { FaultEvent } from './faults.js';
import type { RunResult, ShrinkSummary } from './result.js';
import { type RunOptions, runScenario } from './run.js';
import type { Scenario } from './scenario.js';
import type { WorkloadOp } from './workload-types.js';

/** Candidate runs the shrinker may spend before settling for the smallest failure found. */
export const DEFAULT_SHRINK_BUDGET = 60;

export interface ShrinkOptions extends Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir' | 'wallClock'> {
  /** Default {@link DEFAULT_SHRINK_BUDGET}. */
  readonly budget?: number;
}

/**
 * Shrink `failing` (a run of `scenario` at its seed that violated an invariant). The target is the
 * expected invariant for a bug-hunt, else the first violated one. Returns undefined when the run
 * violated nothing (there is nothing to shrink).
 */
export async function shrinkRun(
  scenario: Scenario,
  failing: RunResult,
  ops: readonly WorkloadOp[],
  options: ShrinkOptions = {},
): Promise<ShrinkSummary | undefined> {
  const violated = failing.verdicts.filter((v) => !v.holds).map((v) => v.invariant);
  const target = scenario.expect?.violated ?? violated[0];
  if (target === undefined || !violated.includes(target)) return undefined;
  const budget = options.budget ?? DEFAULT_SHRINK_BUDGET;
  const { budget: _budget, ...runOptions } = options;
  let runs = 0;
  const fails = async (faults: readonly FaultEvent[], candidateOps: readonly WorkloadOp[]) => {
    runs++;
    const result = await runScenario(scenario, failing.seed, {
      ...runOptions,
      overrides: { faults, ops: candidateOps },
      timeline: 'never',
    });
    return result.verdicts.some((v) => v.invariant === target && !v.holds);
  };
  const start: [FaultEvent[], WorkloadOp[]] = [[...failing.faults], [...ops]];
  const property = fc.asyncProperty(fc.subarray(start[0]), fc.subarray(start[1]), async (faults, candidateOps) => {
    if (runs >= budget) return true;
    return !(await fails(faults, candidateOps));
  });
  const outcome = await fc.check(property, { examples: [start], numRuns: 1, seed: failing.seed, endOnFailure: false });
  const [faults, minimalOps] = (outcome.counterexample ?? start) as [FaultEvent[], WorkloadOp[]];
  const minimal = await runScenario(scenario, failing.seed, {
    ...runOptions,
    overrides: { faults, ops: minimalOps },
    timeline: 'always',
  });
  return {
    faultsBefore: start[0].length,
    faultsAfter: faults.length,
    opsBefore: start[1].length,
    opsAfter: minimalOps.length,
    runs,
    minimal,
  };
}
