/**
 * Sweep tasks (scenario × seed) over worker threads. Each worker runs one task at a time; results come back in task order whatever order they finish in.
 * With one worker the tasks run in this thread (no start-up cost; what tests use).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunResult } from './result.js';
import { executeTask, type RunTask } from './task.js';
import type { WorkerReply } from './worker.js';

export interface SweepOptions {
  /** Worker threads. Default: min(available cores, tasks); 1 runs in-process. */
  readonly workers?: number;
  /** Called as each task finishes (for progress). */
  readonly onResult?: (result: RunResult, done: number, total: number) => void;
}

/** A task that could not run at all (its file failed to load, say). */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}

export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(availableParallelism(), tasks));
}

export async function sweep(tasks: readonly RunTask[], options: SweepOptions = {}): Promise<RunResult[]> {
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(tasks.length), tasks.length));
  const results: RunResult[] = new Array(tasks.length);
  let done = 0;
  const finish = (index: number, result: RunResult) => {
    results[index] = result;
    options.onResult?.(result, ++done, tasks.length);
  };
  if (workers <= 1) {
    for (const [index, task] of tasks.entries()) finish(index, await executeTask(task));
    return results;
  }
  let next = 0;
  const pool = Array.from({ length: workers }, () => startWorker());
  try {
    await Promise.all(
      pool.map(async (worker) => {
        while (next < tasks.length) {
          const index = next++;
          const reply = await ask(worker, index, tasks[index] as RunTask);
          if (reply.type === 'error') throw new SweepError(reply.message);
          finish(index, reply.result);
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/**
 * A worker thread running worker.js: the built package's worker is plain JavaScript, and a
 * task's TypeScript scenario registers tsx in the worker itself (`importUserModule`). From the
 * sources (tests) the worker module is TypeScript, so a small bootstrap registers tsx in the
 * worker's own thread first (loader hooks are per thread, and `--import` in a worker's execArgv
 * is not honoured on every Node 20).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const url = new URL('./worker.ts', import.meta.url);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

function ask(worker: Worker, index: number, task: RunTask): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      if (reply.index !== index) return;
      cleanup();
      resolve(reply);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new SweepError(`a sweep worker exited (code ${code}) while running ${task.scenario} seed ${task.seed}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ index, task });
  });
}
