/**
 * Sweep tasks (scenario × seed) over a warm {@link RunPool}: every run and every shrink candidate
 * of the sweep goes to the same workers, and results come back in task order whatever order
 * they finish in. With one worker the tasks run in this thread (no start-up cost; what tests use).
 *
 * `shrinkFirst` shrinks the first violating seed of each scenario (in seed order) as soon as it is
 * known — once it and every earlier seed of its scenario have finished — so the shrink's
 * candidates run beside the rest of the sweep instead of after it, and which seed is shrunk does
 * not depend on which worker finished first.
 */
import { createRunPool, defaultPoolSize, PoolError, type RunPool } from './pool.js';
import type { RunResult } from './result.js';
import { jobOf, type RunTask, runTask, shrinkOnPool } from './task.js';

export interface SweepOptions {
  /** Worker threads, when no `pool` is given. Default: min(available cores, tasks); 1 runs in-process. */
  readonly workers?: number;
  /** Run on this pool (kept open afterwards) instead of one made for this sweep. */
  readonly pool?: RunPool;
  /** Shrink the first violation of each scenario (tasks' own `shrink` flags still apply). Default false. */
  readonly shrinkFirst?: boolean;
  /** Called as each task's run finishes (for progress), before any shrinking. */
  readonly onResult?: (result: RunResult, done: number, total: number) => void;
  /** Called when a shrink starts. */
  readonly onShrink?: (task: RunTask) => void;
}

/** A task that could not run at all (its file failed to load, say). */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}

export function defaultWorkers(tasks: number): number {
  return defaultPoolSize(tasks);
}

export async function sweep(tasks: readonly RunTask[], options: SweepOptions = {}): Promise<RunResult[]> {
  const pool =
    options.pool ??
    createRunPool({ workers: Math.max(1, Math.min(options.workers ?? defaultWorkers(tasks.length), tasks.length)) });
  const results: RunResult[] = new Array(tasks.length);
  const shrinks: Promise<void>[] = [];
  const firsts = options.shrinkFirst ? firstViolations(tasks, results) : undefined;
  let done = 0;
  const finished = (index: number, result: RunResult) => {
    results[index] = result;
    options.onResult?.(result, ++done, tasks.length);
    const first = firsts?.(index);
    if (first === undefined) return;
    const task = tasks[first] as RunTask;
    options.onShrink?.(task);
    shrinks.push(
      shrinkOnPool(pool, task, results[first] as RunResult).then((shrink) => {
        if (shrink !== undefined) results[first] = { ...(results[first] as RunResult), shrink };
      }),
    );
  };
  try {
    await Promise.all(
      tasks.map(async (task, index) => {
        const result = await (task.shrink && !options.shrinkFirst ? runTask(pool, task) : pool.run(jobOf(task))).catch(
          (error: unknown) => {
            throw error instanceof PoolError ? new SweepError(error.message) : error;
          },
        );
        finished(index, result);
      }),
    );
    await Promise.all(shrinks);
    return results;
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}

/**
 * Tracks, per scenario, the first task (in task order) that violated an invariant. Call it with
 * each finished task's index; it answers a task's index the one time that task is known to be
 * its scenario's first violation (it and every earlier task of its scenario have finished).
 */
function firstViolations(
  tasks: readonly RunTask[],
  results: readonly (RunResult | undefined)[],
): (finished: number) => number | undefined {
  const key = (task: RunTask) => JSON.stringify([task.path ?? task.file, task.scenario]);
  const groups = new Map<string, number[]>();
  for (const [index, task] of tasks.entries()) {
    const group = groups.get(key(task)) ?? [];
    group.push(index);
    groups.set(key(task), group);
  }
  const cursors = new Map<string, number>();
  return (finished) => {
    const id = key(tasks[finished] as RunTask);
    const group = groups.get(id) as number[];
    let at = cursors.get(id) ?? 0;
    while (at < group.length) {
      const result = results[group[at] as number];
      if (result === undefined) break;
      if (result.outcome === 'violated') {
        cursors.set(id, group.length);
        return group[at];
      }
      at++;
    }
    cursors.set(id, at);
    return undefined;
  };
}
