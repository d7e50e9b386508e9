/**
 * A sweep that shrinks as it goes (what `microcosm run` does): every task runs on the pool, and as
 * soon as the last seed of a scenario is in, that scenario's smallest violation (fewest faults,
 * then fewest operations, then lowest seed) is shrunk on the same pool, its candidates ahead of
 * the sweep's remaining runs — so the workers never wait for a shrink while runs are left, and a
 * shrink's sequential steps overlap the rest of the sweep. Bug-hunt scenarios (they expect a
 * violation, so they will be shrunk) are handed out first, their shrinks starting early.
 *
 * One minimal case per scenario is what a person reads, and the smallest failure shrinks fastest
 * and furthest. A bug-hunt's seed that missed is never shrunk. Results come back in task order,
 * and are the same whatever order the runs finish in (a shrink depends only on its run).
 */
import { foundExpected } from './hunt.js';
import { PoolError, type RunPool } from './pool.js';
import type { RunResult } from './result.js';
import { findScenario } from './run-job.js';
import { SweepError } from './sweep.js';
import { jobOf, type RunTask, shrinkOnPool } from './task.js';

export interface SweepShrinkOptions {
  readonly pool: RunPool;
  /** Shrink each scenario's smallest violation. Default true. */
  readonly shrink?: boolean;
  /** Called as each run finishes (for progress). */
  readonly onResult?: (result: RunResult, done: number, total: number) => void;
  /** Called as a shrink starts. */
  readonly onShrink?: (task: RunTask) => void;
}

/** Which of one scenario's results to shrink: the smallest violation, or undefined. */
export function shrinkTarget(results: readonly RunResult[]): RunResult | undefined {
  const compare = (a: RunResult, b: RunResult) =>
    a.faults.length - b.faults.length || a.operations.total - b.operations.total || a.seed - b.seed;
  let best: RunResult | undefined;
  for (const result of results)
    if (
      result.outcome === 'violated' &&
      foundExpected(result) !== false &&
      (best === undefined || compare(result, best) < 0)
    )
      best = result;
  return best;
}

export async function sweepAndShrink(tasks: readonly RunTask[], options: SweepShrinkOptions): Promise<RunResult[]> {
  const { pool } = options;
  const results: RunResult[] = new Array(tasks.length);
  const byScenario = new Map<string, number[]>();
  for (const [index, task] of tasks.entries()) {
    const indices = byScenario.get(task.scenario) ?? [];
    indices.push(index);
    byScenario.set(task.scenario, indices);
  }
  const hunts = new Set<string>();
  for (const task of tasks)
    if (!hunts.has(task.scenario) && (await findScenario(task.path ?? task.file, task.scenario)).expect !== undefined)
      hunts.add(task.scenario);
  const order = [...tasks.keys()].sort(
    (a, b) => Number(hunts.has((tasks[b] as RunTask).scenario)) - Number(hunts.has((tasks[a] as RunTask).scenario)),
  );
  const left = new Map([...byScenario].map(([scenario, indices]) => [scenario, indices.length]));
  const shrinks: Promise<void>[] = [];
  const shrinkScenario = async (scenario: string) => {
    const indices = byScenario.get(scenario) ?? [];
    const target = shrinkTarget(indices.map((i) => results[i] as RunResult));
    if (target === undefined) return;
    const index = indices.find((i) => results[i] === target) as number;
    const task = tasks[index] as RunTask;
    options.onShrink?.(task);
    const shrink = await shrinkOnPool(pool, task, target);
    if (shrink !== undefined) results[index] = { ...target, shrink };
  };
  let done = 0;
  const runs = order.map(async (index) => {
    const task = tasks[index] as RunTask;
    results[index] = await pool.run(jobOf(task));
    options.onResult?.(results[index] as RunResult, ++done, tasks.length);
    const remaining = (left.get(task.scenario) ?? 1) - 1;
    left.set(task.scenario, remaining);
    if (remaining === 0 && options.shrink !== false) {
      const shrink = shrinkScenario(task.scenario);
      // Awaited below, after the runs; marked handled now so a failure meanwhile is not "unhandled".
      shrink.catch(() => {});
      shrinks.push(shrink);
    }
  });
  try {
    await Promise.all(runs);
    await Promise.all(shrinks);
  } catch (error) {
    throw error instanceof PoolError ? new SweepError(error.message) : error;
  }
  return results;
}
