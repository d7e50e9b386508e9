/** What a run pool is made of: runners (a worker thread, or this thread) and the errors they raise. */
import type { RunResult } from './result.js';
import type { RunJob } from './run-job.js';

/** Runs one job at a time; may hold `capacity` jobs, the others queued behind the running one. */
export interface Runner {
  readonly capacity: number;
  /** Start loading these scenario files ahead of the first job that needs them. */
  preload(files: readonly string[]): void;
  run(job: RunJob): Promise<RunResult>;
  close(): Promise<void>;
}

/** A job the pool could not run at all (its file failed to load, a worker died). */
export class PoolError extends Error {
  override readonly name: string = 'PoolError';
}

/** Raised by a worker runner whose thread exited: the pool stops using it. */
export class WorkerDied extends PoolError {
  override readonly name = 'WorkerDied';
}
