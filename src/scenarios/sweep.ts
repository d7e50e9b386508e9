/**
 * Sweep tasks (scenario × seed) over a warm {@link RunPool}: every run and every shrink candidate
 * of the sweep goes to the same workers, and results come back in task order whatever order
 * they finish in. With one worker the tasks run in this thread (no start-up cost; what tests use).
 * A task with `shrink` is shrunk when it violated something, its candidates on the same pool.
 */
import { createRunPool, defaultPoolSize, PoolError, type RunPool } from './pool.js';
import type { RunResult } from './result.js';
import { type RunTask, runTask } from './task.js';

export interface SweepOptions {
  /** Worker threads, when no `pool` is given. Default: min(available cores, tasks); 1 runs in-process. */
  readonly workers?: number;
  /** Run on this pool (kept open afterwards) instead of one made for this sweep. */
  readonly pool?: RunPool;
  /** Called as each task finishes (for progress). */
  readonly onResult?: (result: RunResult, done: number, total: number) => void;
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
  let done = 0;
  try {
    return await Promise.all(
      tasks.map(async (task) => {
        const result = await runTask(pool, task).catch((error: unknown) => {
          throw error instanceof PoolError ? new SweepError(error.message) : error;
        });
        options.onResult?.(result, ++done, tasks.length);
        return result;
      }),
    );
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}
