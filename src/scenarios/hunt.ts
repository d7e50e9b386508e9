/**
 * Bug-hunt verdicts: a scenario with `expect: { violated: X, min-seeds: N }` passes when at least
 * N of its seeds (default 1) found X. A seed that misses is no failure on its own — a bug that
 * shows under one interleaving in thirty is exactly what a sweep is for — but a sweep in which
 * too few seeds find it fails, and the table prints the hit rate (found in 29/100 seeds).
 */
import type { RunResult } from './result.js';

/** Seeds that must find the expected violation when a scenario does not say. */
export const DEFAULT_MIN_SEEDS = 1;

export interface HuntOutcome {
  readonly violated: string;
  /** Seeds whose run violated the expected invariant. */
  readonly found: number;
  readonly seeds: number;
  readonly minSeeds: number;
  readonly passed: boolean;
}

/** Whether one run found what its bug-hunt looks for (undefined when it is no bug-hunt). */
export function foundExpected(result: RunResult): boolean | undefined {
  if (result.expectViolated === undefined) return undefined;
  return result.verdicts.some((v) => v.invariant === result.expectViolated && !v.holds);
}

/** The verdict over one scenario's runs; undefined when the scenario is no bug-hunt. */
export function huntOutcome(runs: readonly RunResult[]): HuntOutcome | undefined {
  const first = runs[0];
  if (first?.expectViolated === undefined) return undefined;
  const found = runs.filter((r) => foundExpected(r) === true).length;
  const minSeeds = Math.min(first.expectMinSeeds ?? DEFAULT_MIN_SEEDS, runs.length);
  return { violated: first.expectViolated, found, seeds: runs.length, minSeeds, passed: found >= minSeeds };
}

/** `found in 29/100 seeds`. */
export function describeHitRate(hunt: HuntOutcome): string {
  return `found in ${hunt.found}/${hunt.seeds} seeds${hunt.passed ? '' : `, needs ${hunt.minSeeds}`}`;
}
