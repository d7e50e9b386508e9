/**
 * A pool of warm runners for scenario runs. Create it once (`microcosm run` does, before loading
 * its files, so the workers boot while the main thread validates), hand it every run of a sweep
 * and every candidate of every shrink, close it at the end. A worker keeps its loaded scenario
 * modules and its JIT-warm code across runs; a run's result depends only on its {@link RunJob},
 * never on which worker ran it or what ran there before.
 *
 * Jobs wait in one queue: `urgent` ones (shrink candidates, on a shrink's critical path) go before
 * the rest, each class first come first served; a job whose signal aborts before it starts is
 * dropped. A busy worker is handed one more job to hold behind the running one (no idle round
 * trip between jobs), but only a job that cannot be cancelled and that nothing urgent waits
 * before; a cancellable job goes only to an idle worker. With one worker the pool runs jobs in
 * this thread, one at a time (no start-up cost).
 */
import { availableParallelism } from 'node:os';
import type { RunResult } from './result.js';
import { startPoolWorker } from './pool-worker.js';
import { type RunJob, runJob } from './run-job.js';
import { PoolError, type Runner, WorkerDied } from './runner.js';

export type { RunJob } from './run-job.js';
export { PoolError } from './runner.js';

export interface PoolOptions {
  /** Runner threads. Default: the available cores; 1 runs jobs in this thread. */
  readonly workers?: number;
}

export interface PoolRunOptions {
  /** Run before every non-urgent job still queued. Default false. */
  readonly urgent?: boolean;
  /** Drop the job if this aborts before it starts (the promise then rejects with an AbortError). */
  readonly signal?: AbortSignal;
}

export interface RunPool {
  /** How many jobs run at once. */
  readonly size: number;
  /** Start loading these scenario files in every worker (optional: a job loads its own file). */
  preload(files: readonly string[]): void;
  run(job: RunJob, options?: PoolRunOptions): Promise<RunResult>;
  /** Stop the workers (idempotent). Jobs still queued reject. */
  close(): Promise<void>;
}

export function defaultPoolSize(jobs = Number.POSITIVE_INFINITY): number {
  return Math.max(1, Math.min(availableParallelism(), jobs));
}

interface Queued {
  readonly job: RunJob;
  readonly options: PoolRunOptions;
  readonly resolve: (result: RunResult) => void;
  readonly reject: (error: unknown) => void;
}

export function createRunPool(options: PoolOptions = {}): RunPool {
  const size = Math.max(1, Math.floor(options.workers ?? defaultPoolSize()));
  const runners: Runner[] = size === 1 ? [inProcessRunner()] : Array.from({ length: size }, startPoolWorker);
  const held = new Map<Runner, number>(runners.map((runner) => [runner, 0]));
  const dead = new Set<Runner>();
  const urgent: Queued[] = [];
  const normal: Queued[] = [];
  let closed = false;

  /** The first job still wanted, left in its queue. */
  const peek = (): { queue: Queued[]; entry: Queued } | undefined => {
    for (const queue of [urgent, normal])
      while (queue.length > 0) {
        const entry = queue[0] as Queued;
        if (!entry.options.signal?.aborted) return { queue, entry };
        queue.shift();
        entry.reject(abortError());
      }
    return undefined;
  };
  /** An idle runner, else (for a job that cannot be cancelled) one with room behind its job. */
  const runnerFor = (entry: Queued): Runner | undefined => {
    let best: Runner | undefined;
    for (const runner of runners) {
      const count = held.get(runner) ?? 0;
      if (dead.has(runner) || count >= runner.capacity) continue;
      if (count === 0) return runner;
      if (entry.options.signal === undefined && best === undefined) best = runner;
    }
    return best;
  };
  const pump = () => {
    while (!closed) {
      const next = peek();
      if (next === undefined) return;
      const runner = runnerFor(next.entry);
      if (runner === undefined) return;
      next.queue.shift();
      const { entry } = next;
      held.set(runner, (held.get(runner) ?? 0) + 1);
      runner.run(entry.job).then(
        (result) => {
          held.set(runner, (held.get(runner) ?? 1) - 1);
          entry.resolve(result);
          pump();
        },
        (error: unknown) => {
          // A runner whose job failed to load stays usable; one whose thread died does not come back.
          held.set(runner, (held.get(runner) ?? 1) - 1);
          if (error instanceof WorkerDied) dead.add(runner);
          entry.reject(error);
          if (dead.size === runners.length)
            for (const left of [...urgent.splice(0), ...normal.splice(0)]) left.reject(error);
          pump();
        },
      );
    }
  };

  return {
    size,
    preload(files) {
      for (const runner of runners) runner.preload(files);
    },
    run(job, runOptions = {}) {
      if (closed) return Promise.reject(new PoolError('the run pool is closed'));
      if (dead.size === runners.length) return Promise.reject(new PoolError('every worker of the run pool has died'));
      return new Promise<RunResult>((resolve, reject) => {
        (runOptions.urgent ? urgent : normal).push({ job, options: runOptions, resolve, reject });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const entry of [...urgent.splice(0), ...normal.splice(0)])
        entry.reject(new PoolError('the run pool closed'));
      await Promise.all(runners.map((runner) => runner.close()));
    },
  };
}

function inProcessRunner(): Runner {
  return {
    capacity: 1,
    preload() {},
    run: runJob,
    async close() {},
  };
}

function abortError(): Error {
  const error = new Error('the job was cancelled before it started');
  error.name = 'AbortError';
  return error;
}
