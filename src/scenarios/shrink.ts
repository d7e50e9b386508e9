/**
 * Shrink a failing run to a minimal failing case: the fault schedule first, then the workload,
 * then the schedule once more, each by delta debugging (drop halves, then quarters, … down to
 * single items, keeping every cut that still fails). Every candidate is a full deterministic run
 * of the same seed with the cut lists as overrides, so the minimal case replays byte for byte
 * from its report; the last candidate that failed *is* the minimal run (no extra run).
 *
 * - Faults and operations are anchored to their own times (virtual ms since the scenario's
 *   start), so removing one never moves another.
 * - A candidate already judged is not run again (the last schedule pass often repeats the first).
 * - A ratio objective (`success-rate`, a `latency` percentile) keeps enough operations for the
 *   ratio to mean something: candidates below {@link MIN_RATIO_OPERATIONS} are not tried (no
 *   shrinking to one operation that fails 100%).
 * - At most `budget` candidate runs; a shrink that stops there says so (`stoppedAtBudget`).
 * - Candidates may run `parallel` at a time (a worker pool: each in its own worker, never two
 *   sims at once in one thread, their global patches would interleave). Their answers are read
 *   in candidate order and the first that fails is taken, so the result is the same for any
 *   `parallel`; the budget counts the runs a one-by-one shrink would have made.
 */
import { firstPassing } from './in-order.js';
import type { FaultEvent } from './faults.js';
import type { RunResult, ShrinkSummary } from './result.js';
import { type RunOptions, runScenario } from './run.js';
import type { Scenario } from './scenario.js';
import type { WorkloadOp } from './workload-types.js';

/**
 * Candidate runs the shrinker may spend before settling for the smallest failure found. The
 * shipped bug-hunts settle well within it (the lock-holder oversell, whose failure needs most of
 * its workload to exhaust the stock, makes its last cut by run 50 of 80; the stale write is done
 * in 18); `--shrink-budget` raises it.
 */
export const DEFAULT_SHRINK_BUDGET = 50;
/** Invariants judged as a ratio over the operations, which keep at least this many (or all there were). */
export const RATIO_INVARIANTS: ReadonlySet<string> = new Set(['success-rate', 'latency']);
export const MIN_RATIO_OPERATIONS = 20;

/** One candidate: a cut schedule and workload of the failing seed. */
export interface ShrinkCandidate {
  readonly faults: readonly FaultEvent[];
  readonly ops: readonly WorkloadOp[];
}

/**
 * Run one candidate: `scenario` at the failing seed with the candidate as overrides, keeping the
 * timeline when it violates something (`timeline: 'on-violation'`). A rejection counts as "does
 * not fail". Cancelled through `signal` when its answer is no longer needed.
 */
export type RunCandidate = (candidate: ShrinkCandidate, signal: AbortSignal) => Promise<RunResult>;

export interface ShrinkOptions extends Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir' | 'wallClock'> {
  /** Default {@link DEFAULT_SHRINK_BUDGET}. */
  readonly budget?: number;
  /** How a candidate runs. Default: in this thread (and then one at a time). */
  readonly runCandidate?: RunCandidate;
  /** Candidates in flight at once with a custom `runCandidate` (one per worker). Default 1. */
  readonly parallel?: number;
}

/** Whether `result` violates `target`. */
export function violates(result: RunResult | undefined, target: string): boolean {
  return result?.verdicts.some((v) => v.invariant === target && !v.holds) ?? false;
}

/** Whether one candidate still violates `target` (a run in this thread). */
export async function candidateFails(
  scenario: Scenario,
  seed: number,
  target: string,
  candidate: ShrinkCandidate,
  options: Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir'> = {},
): Promise<boolean> {
  return violates(await runCandidateHere(scenario, seed, candidate, options), target);
}

function runCandidateHere(
  scenario: Scenario,
  seed: number,
  candidate: ShrinkCandidate,
  options: Pick<RunOptions, 'file' | 'fileHoldsSeveral' | 'reportDir' | 'wallClock'>,
): Promise<RunResult> {
  return runScenario(scenario, seed, {
    ...options,
    overrides: { faults: candidate.faults, ops: candidate.ops },
    timeline: 'on-violation',
  });
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
  const { budget: _budget, runCandidate: custom, parallel: _parallel, ...runOptions } = options;
  const budget = options.budget ?? DEFAULT_SHRINK_BUDGET;
  const seed = failing.seed;
  const run: RunCandidate = custom ?? ((candidate) => runCandidateHere(scenario, seed, candidate, runOptions));
  const parallel = custom === undefined ? 1 : (options.parallel ?? 1);
  const minOps = RATIO_INVARIANTS.has(target) ? Math.min(ops.length, MIN_RATIO_OPERATIONS) : 0;

  // Candidates are cut from the failing run's own lists, so a fault's index names it.
  const faultIndex = new Map(failing.faults.map((fault, i) => [fault, i]));
  const keyOf = (c: ShrinkCandidate) =>
    `${c.faults.map((f) => faultIndex.get(f) ?? JSON.stringify(f)).join(',')}|${c.ops.map((o) => o.id).join(',')}`;
  /** Candidates that ran and did not fail (one that fails becomes the best, and the best only shrinks). */
  const held = new Set<string>();
  let runs = 0;
  let stopped = false;
  let best: ShrinkCandidate = { faults: [...failing.faults], ops: [...ops] };
  let bestRun: RunResult | undefined;
  /** Try candidates in order (within the budget); the first that still fails becomes the best. */
  const firstFailing = async (candidates: ShrinkCandidate[]): Promise<boolean> => {
    const fresh = candidates.filter((c) => c.ops.length >= minOps && !held.has(keyOf(c)));
    const allowed = fresh.slice(0, Math.max(0, budget - runs));
    if (allowed.length < fresh.length) stopped = true;
    if (allowed.length === 0) return false;
    const { index, answers } = await firstPassing(
      allowed,
      parallel,
      (candidate, signal) => run(candidate, signal).catch(() => undefined),
      (result) => violates(result, target),
    );
    runs += answers.length;
    if (index === -1) {
      for (const candidate of allowed) held.add(keyOf(candidate));
      return false;
    }
    for (const candidate of allowed.slice(0, index)) held.add(keyOf(candidate));
    best = allowed[index] as ShrinkCandidate;
    bestRun = answers[index];
    return true;
  };
  /** Delta debugging over one list of the best candidate: cut chunks, halving them when no cut fails. */
  const shrinkList = async (
    list: (c: ShrinkCandidate) => readonly unknown[],
    withList: (c: ShrinkCandidate, kept: readonly unknown[]) => ShrinkCandidate,
    min: number,
  ) => {
    let chunk = Math.ceil(list(best).length / 2);
    while (chunk >= 1 && list(best).length > min) {
      if (runs >= budget) {
        stopped = true;
        return;
      }
      const current = list(best);
      const cut: ShrinkCandidate[] = [];
      for (let from = 0; from < current.length; from += chunk)
        cut.push(withList(best, [...current.slice(0, from), ...current.slice(from + chunk)]));
      if (await firstFailing(cut)) chunk = Math.min(chunk, Math.ceil(list(best).length / 2));
      else chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
    }
  };
  const shrinkFaults = () =>
    shrinkList(
      (c) => c.faults,
      (c, kept) => ({ faults: kept as FaultEvent[], ops: c.ops }),
      0,
    );
  const shrinkOps = () =>
    shrinkList(
      (c) => c.ops,
      (c, kept) => ({ faults: c.faults, ops: kept as WorkloadOp[] }),
      minOps,
    );
  await shrinkFaults();
  await shrinkOps();
  await shrinkFaults();

  const minimal = bestRun ?? (await run(best, new AbortController().signal));
  return {
    faultsBefore: failing.faults.length,
    faultsAfter: best.faults.length,
    opsBefore: ops.length,
    opsAfter: best.ops.length,
    runs,
    ...(stopped ? { stoppedAtBudget: budget } : {}),
    minimal,
  };
}
