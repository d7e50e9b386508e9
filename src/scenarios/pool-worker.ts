/**
 * A {@link Runner} on a worker thread running worker.js. The built package's worker is plain
 * JavaScript, and a task's TypeScript scenario or system module registers tsx in the worker
 * itself (`importUserModule`). From the sources (tests) the worker module is TypeScript, so a
 * small bootstrap registers tsx in the worker's own thread first (loader hooks are per thread,
 * and `--import` in a worker's execArgv is not honoured on every Node 20).
 */
import { Worker } from 'node:worker_threads';
import type { RunResult } from './result.js';
import type { RunJob } from './run-job.js';
import { PoolError, type Runner, WorkerDied } from './runner.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

const fromSources = import.meta.url.endsWith('.ts');

export function startPoolWorker(): Runner {
  const url = new URL(`./worker${fromSources ? '.ts' : '.js'}`, import.meta.url);
  const worker = fromSources
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
        { eval: true },
      )
    : new Worker(url);
  // A worker the parent is not waiting on must not keep the process alive.
  worker.unref();
  let nextId = 0;
  let exited: Error | undefined;
  const waiting = new Map<number, { job: RunJob; resolve: (r: RunResult) => void; reject: (e: unknown) => void }>();
  const fail = (error: Error) => {
    exited ??= error;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const entry = waiting.get(reply.id);
    if (entry === undefined) return;
    waiting.delete(reply.id);
    if (reply.type === 'result') entry.resolve(reply.result);
    else entry.reject(new PoolError(reply.message));
  });
  worker.on('error', (error) => fail(new WorkerDied(`a run-pool worker failed: ${error.message}`)));
  worker.on('exit', (code) => {
    const running = [...waiting.values()][0]?.job;
    fail(
      new WorkerDied(
        `a run-pool worker exited (code ${code})${running ? ` while running ${running.scenario} seed ${running.seed}` : ''}`,
      ),
    );
  });
  const send = (message: WorkerRequest) => worker.postMessage(message);
  return {
    // A second job waits in the worker's own queue, so it starts the moment the first is done
    // instead of one message round trip later (15–20 ms per job on a loaded machine).
    capacity: 2,
    preload(files) {
      if (exited === undefined) send({ type: 'preload', files });
    },
    run(job) {
      if (exited !== undefined) return Promise.reject(exited);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { job, resolve, reject });
        worker.ref();
        send({ type: 'run', id, job });
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      }) as Promise<RunResult>;
    },
    async close() {
      exited ??= new PoolError('the worker was closed');
      await worker.terminate();
    },
  };
}
