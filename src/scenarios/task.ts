/**
 * One unit of a sweep: run scenario `scenario` of `file` for `seed` on a run pool, and shrink it
 * when it broke an invariant — the shrink's candidate runs go to the same pool, ahead of the
 * sweep's remaining runs. Plain data in, plain data out.
 */
import { createRunPool, type RunPool } from './pool.js';
import type { RunResult } from './result.js';
import type { RunOverrides } from './run.js';
import { findScenario, type RunJob } from './run-job.js';
import { shrinkRun } from './shrink.js';
import { planWorkload } from './workload.js';

export { findScenario, scenariosOf } from './run-job.js';

export interface RunTask {
  /** The file as the user named it (shown in replay commands). */
  readonly file: string;
  /** Where to load it from (absolute). Default: `file`. */
  readonly path?: string;
  readonly scenario: string;
  readonly seed: number;
  readonly fileHoldsSeveral: boolean;
  readonly shrink: boolean;
  readonly shrinkBudget?: number;
  readonly reportDir: string;
  /** Keep this run's timeline even if it passes (one sample per scenario). */
  readonly sample: boolean;
  readonly overrides?: RunOverrides;
}

export function jobOf(task: RunTask): RunJob {
  return {
    file: task.file,
    ...(task.path === undefined ? {} : { path: task.path }),
    scenario: task.scenario,
    seed: task.seed,
    fileHoldsSeveral: task.fileHoldsSeveral,
    reportDir: task.reportDir,
    timeline: task.sample ? 'always' : 'on-violation',
    ...(task.overrides === undefined ? {} : { overrides: task.overrides }),
  };
}

/** Run `task` on `pool` (shrinking it when asked and it violated something). */
export async function runTask(pool: RunPool, task: RunTask): Promise<RunResult> {
  const result = await pool.run(jobOf(task));
  if (!task.shrink || result.outcome !== 'violated') return result;
  const shrink = await shrinkOnPool(pool, task, result);
  return shrink === undefined ? result : { ...result, shrink };
}

/**
 * Shrink `failing` (the result of `task`), its candidates running on `pool` as urgent jobs,
 * `pool.size` at a time (the shrinker reads their answers in candidate order and drops the ones
 * not started once one fails, so the result is the same for any pool).
 */
export async function shrinkOnPool(pool: RunPool, task: RunTask, failing: RunResult) {
  const scenario = await findScenario(task.path ?? task.file, task.scenario);
  const ops = task.overrides?.ops ?? planWorkload(scenario.workload, task.seed, scenario.durationMs);
  const job = jobOf(task);
  return shrinkRun(scenario, failing, ops, {
    file: task.file,
    fileHoldsSeveral: task.fileHoldsSeveral,
    reportDir: task.reportDir,
    ...(task.shrinkBudget === undefined ? {} : { budget: task.shrinkBudget }),
    parallel: pool.size,
    runCandidate: (candidate, signal) =>
      pool.run(
        { ...job, overrides: { faults: candidate.faults, ops: candidate.ops }, timeline: 'on-violation' },
        { urgent: true, signal },
      ),
  });
}

/** Run one task in this thread (what `microcosm replay` uses). */
export async function executeTask(task: RunTask): Promise<RunResult> {
  const pool = createRunPool({ workers: 1 });
  try {
    return await runTask(pool, task);
  } finally {
    await pool.close();
  }
}
