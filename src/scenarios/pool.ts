/**
 * A pool of warm runners for scenario runs. Create it once (`microcosm run` does, before loading
 * its files, so the workers boot while the main thread validates), hand it every run of a sweep
 * and every candidate of every shrink, close it at the end. A worker keeps its loaded scenario
 * modules and its JIT-warm code across runs; a run's result depends only on its {@link RunJob},
 * never on which worker ran it or what ran there before.
 *
 * Jobs wait in one queue: `urgent` ones (shrink candidates, on a shrink's critical path) go before
 * the rest, each class first come first served; a job whose signal aborts before it starts is
 * dropped. With one worker the pool runs jobs in this thread, one at a time (no start-up cost).
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
  const idle = [...runners];
  let alive = runners.length;
  const urgent: Queued[] = [];
  const normal: Queued[] = [];
  let closed = false;

  const next = (): Queued | undefined => {
    for (const queue of [urgent, normal])
      while (queue.length > 0) {
        const entry = queue.shift() as Queued;
        if (!entry.options.signal?.aborted) return entry;
        entry.reject(abortError());
      }
    return undefined;
  };
  const pump = () => {
    while (!closed && idle.length > 0) {
      const entry = next();
      if (entry === undefined) return;
      const runner = idle.pop() as Runner;
      runner.run(entry.job).then(
        (result) => {
          idle.push(runner);
          entry.resolve(result);
          pump();
        },
        (error: unknown) => {
          // A runner whose job failed to load stays usable; one whose thread died does not come back.
          if (error instanceof WorkerDied) alive--;
          else idle.push(runner);
          entry.reject(error);
          if (alive === 0) for (const left of [...urgent.splice(0), ...normal.splice(0)]) left.reject(error);
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
      if (alive === 0) return Promise.reject(new PoolError('every worker of the run pool has died'));
      return new Promise<RunResult>((resolve, reject) => {
        (runOptions.urgent ? urgent : normal).push({ job, options: runOptions, resolve, reject });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const entry of [...urgent.splice(0), ...normal.splice(0)]) entry.reject(new PoolError('the run pool closed'));
      await Promise.all(runners.map((runner) => runner.close()));
    },
  };
}

function inProcessRunner(): Runner {
  return {
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
