/**
 * A run-pool worker thread: loads scenario files when told to, runs {@link RunJob}s one at a time
 * and answers each with its result or the error that stopped it, until the parent closes it.
 * A TypeScript scenario or system module registers tsx in this thread as it loads
 * (`importUserModule`); the framework itself needs none when it runs from its build.
 */
import { parentPort } from 'node:worker_threads';
import type { RunResult } from './result.js';
import { type RunJob, runJob, scenariosOf } from './run-job.js';

export type WorkerRequest =
  | { readonly type: 'preload'; readonly files: readonly string[] }
  | { readonly type: 'run'; readonly id: number; readonly job: RunJob };

export type WorkerReply =
  | { readonly type: 'result'; readonly id: number; readonly result: RunResult }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

// One message at a time, in arrival order: a preload finishes before the run after it starts.
let queue: Promise<unknown> = Promise.resolve();
parentPort?.on('message', (message: WorkerRequest) => {
  queue = queue.then(async () => {
    if (message.type === 'preload') {
      // A file that fails to load is reported by the run that needs it.
      for (const file of message.files) await scenariosOf(file).catch(() => {});
      return;
    }
    let reply: WorkerReply;
    try {
      reply = { type: 'result', id: message.id, result: await runJob(message.job) };
    } catch (error) {
      reply = { type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
  });
});
