/**
 * Shrink a failing run to a minimal failing case: the fault schedule first (one fault at a time,
 * until no single removal still fails), then the workload (delta debugging: drop halves, then
 * quarters, … of the operations), then the schedule once more. Every candidate is a full
 * deterministic run of the same seed with the cut lists as overrides, so the minimal case replays
 * byte for byte from its report.
 *
 * - Faults and operations are anchored to their own times (virtual ms since the scenario's
 *   start), so removing one never moves another.
 * - A ratio objective (`success-rate`, a `latency` percentile) keeps enough operations for the
 *   ratio to mean something: candidates below {@link MIN_RATIO_OPERATIONS} are not tried (no
 *   shrinking to one operation that fails 100%).
 * - Candidates come in batches through {@link ShrinkOptions.evaluate}: the default runs them one
 *   by one in this thread and stops at the first that fails; a worker pool may run a batch in
 *   parallel. The first failing candidate *in batch order* is taken, so the result is the same
 *   either way.
 */
import type { FaultEvent } from './faults.js';
import type { RunResult, ShrinkSummary } from './result.js';
import { type RunOptions, runScenario } from './run.js';
import type { Scenario } from './scenario.js';
import type { WorkloadOp } from './workload-types.js';

/** Candidate runs the shrinker may spend before settling for the smallest failure found. */
export const DEFAULT_SHRINK_BUDGET = 80;
/** Invariants judged as a ratio over the operations, which keep at least this many (or all there were). */
export const RATIO_INVARIANTS: ReadonlySet<string> = new Set(['success-rate', 'latency']);
export const MIN_RATIO_OPERATIONS = 20;

/** One candidate: a cut schedule and workload of the failing seed. */
export interface ShrinkCandidate {
  readonly faults: readonly FaultEvent[];
  readonly ops: readonly WorkloadOp[];
}

/**
 * Judge candidates: for each, whether it still violates `target`. May stop early after the first
 * that does (the rest may then be reported false). Runs `scenario` at `seed` with the candidate
 * as overrides and `timeline: 'never'`.
 */
export type EvaluateCandidates = (
  candidates: readonly ShrinkCandidate[],
  context: { readonly scenario: Scenario; readonly seed: number; readonly target: string },
) => Promise<readonly boolean[]>;

export interface ShrinkOptions extends Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir' | 'wallClock'> {
  /** Default {@link DEFAULT_SHRINK_BUDGET}. */
  readonly budget?: number;
  /** How a batch of candidates is judged. Default: in this thread, one by one, stopping at the first failure. */
  readonly evaluate?: EvaluateCandidates;
}

/** Whether one candidate still violates `target` (what the default evaluator runs). */
export async function candidateFails(
  scenario: Scenario,
  seed: number,
  target: string,
  candidate: ShrinkCandidate,
  options: Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir'> = {},
): Promise<boolean> {
  const result = await runScenario(scenario, seed, {
    ...options,
    overrides: { faults: candidate.faults, ops: candidate.ops },
    timeline: 'never',
  });
  return result.verdicts.some((v) => v.invariant === target && !v.holds);
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
  const { budget: _budget, evaluate: custom, ...runOptions } = options;
  const budget = options.budget ?? DEFAULT_SHRINK_BUDGET;
  const seed = failing.seed;
  const evaluate: EvaluateCandidates =
    custom ??
    (async (candidates) => {
      const verdicts: boolean[] = [];
      for (const candidate of candidates) {
        const fails = await candidateFails(scenario, seed, target, candidate, runOptions);
        verdicts.push(fails);
        if (fails) break;
      }
      return verdicts;
    });
  const minOps = RATIO_INVARIANTS.has(target) ? Math.min(ops.length, MIN_RATIO_OPERATIONS) : 0;

  let runs = 0;
  let best: ShrinkCandidate = { faults: [...failing.faults], ops: [...ops] };
  /** Try candidates in order (within the budget); the first that still fails becomes the best. */
  const firstFailing = async (candidates: ShrinkCandidate[]): Promise<boolean> => {
    const allowed = candidates.filter((c) => c.ops.length >= minOps).slice(0, Math.max(0, budget - runs));
    if (allowed.length === 0) return false;
    const verdicts = await evaluate(allowed, { scenario, seed, target });
    const index = verdicts.indexOf(true);
    runs += index === -1 ? verdicts.length : index + 1;
    if (index === -1) return false;
    best = allowed[index] as ShrinkCandidate;
    return true;
  };

  const shrinkFaults = async () => {
    while (best.faults.length > 0 && runs < budget) {
      const { faults, ops: current } = best;
      const cut = faults.map((_, i) => ({ faults: faults.filter((__, j) => j !== i), ops: current }));
      if (!(await firstFailing(cut))) return;
    }
  };
  const shrinkOps = async () => {
    let chunk = Math.ceil(best.ops.length / 2);
    while (chunk >= 1 && best.ops.length > minOps && runs < budget) {
      const { faults, ops: current } = best;
      const cut: ShrinkCandidate[] = [];
      for (let from = 0; from < current.length; from += chunk)
        cut.push({ faults, ops: [...current.slice(0, from), ...current.slice(from + chunk)] });
      if (!(await firstFailing(cut))) chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
      else chunk = Math.min(chunk, Math.ceil(best.ops.length / 2));
    }
  };
  await shrinkFaults();
  await shrinkOps();
  await shrinkFaults();

  const minimal = await runScenario(scenario, seed, {
    ...runOptions,
    overrides: { faults: best.faults, ops: best.ops },
    timeline: 'always',
  });
  return {
    faultsBefore: failing.faults.length,
    faultsAfter: best.faults.length,
    opsBefore: ops.length,
    opsAfter: best.ops.length,
    runs,
    minimal,
  };
}
