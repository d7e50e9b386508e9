/**
 * Shrink a failing run to a minimal failing case with fast-check's shrinker: the fault schedule
 * and the workload are subarrays of the ones that failed, and the failing pair is cut down while
 * the same invariant still breaks. Every candidate is a full deterministic run of the same seed,
 * so the minimal case replays byte for byte from its report. Candidates run through `run` (a
 * run pool's workers, say) `parallelism` at a time; the result is the same for any parallelism.
 */
import fc from 'fast-check';
import type { FaultEvent } from './faults.js';
import type { RunResult, ShrinkSummary } from './result.js';
import { type RunOptions, type RunOverrides, runScenario } from './run.js';
import type { Scenario } from './scenario.js';
import { shrinkSearch } from './shrink-search.js';
import type { WorkloadOp } from './workload-types.js';

/** Candidate runs the shrinker may spend before settling for the smallest failure found. */
export const DEFAULT_SHRINK_BUDGET = 60;

export interface ShrinkOptions extends Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir' | 'wallClock'> {
  /** Default {@link DEFAULT_SHRINK_BUDGET}. */
  readonly budget?: number;
  /** Runs one candidate (or the minimal case, with `timeline: 'always'`). Default: in this thread. */
  readonly run?: ShrinkRunner;
  /** Candidates run at once. Default 1. */
  readonly parallelism?: number;
}

/** Runs the failing scenario's seed with these overrides; `signal` says the answer is no longer wanted. */
export type ShrinkRunner = (
  overrides: RunOverrides,
  options: { readonly timeline: 'always' | 'never'; readonly signal?: AbortSignal },
) => Promise<RunResult>;

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
  const { budget: _budget, run: givenRun, parallelism = 1, ...runOptions } = options;
  const run: ShrinkRunner =
    givenRun ??
    ((overrides, { timeline }) => runScenario(scenario, failing.seed, { ...runOptions, overrides, timeline }));
  const start: [FaultEvent[], WorkloadOp[]] = [[...failing.faults], [...ops]];
  const { value, runs } = await shrinkSearch(fc.tuple(fc.subarray(start[0]), fc.subarray(start[1])), start, {
    budget,
    parallelism,
    async fails([faults, candidateOps], signal) {
      const result = await run({ faults, ops: candidateOps }, { timeline: 'never', signal });
      return result.verdicts.some((v) => v.invariant === target && !v.holds);
    },
  });
  const [faults, minimalOps] = value;
  const minimal = await run({ faults, ops: minimalOps }, { timeline: 'always' });
  return {
    faultsBefore: start[0].length,
    faultsAfter: faults.length,
    opsBefore: start[1].length,
    opsAfter: minimalOps.length,
    runs,
    minimal,
  };
}
