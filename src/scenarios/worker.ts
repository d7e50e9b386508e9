/**
 * A run-pool worker thread: loads scenario files when told to (registering TypeScript support
 * first when a file or its system module is TypeScript), runs {@link RunJob}s one at a time and
 * answers each with its result or the error that stopped it, until the parent closes it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunResult } from './result.js';
import { type RunJob, runJob, scenariosOf } from './run-job.js';
import { needsTypeScript } from './typescript.js';

export type WorkerRequest =
  | { readonly type: 'preload'; readonly files: readonly string[] }
  | { readonly type: 'run'; readonly id: number; readonly job: RunJob };

export type WorkerReply =
  | { readonly type: 'result'; readonly id: number; readonly result: RunResult }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/** Whether this thread can import `.ts` files already (the framework itself runs from sources). */
let typescript: Promise<void> | undefined = (workerData as { typescript?: boolean } | undefined)?.typescript
  ? Promise.resolve()
  : undefined;

/** Register tsx in this thread, once, the first time a TypeScript module is about to load. */
function typeScriptReady(): Promise<void> {
  typescript ??= import('tsx/esm/api').then(
    (tsx) => void tsx.register(),
    (error: unknown) => {
      throw new Error(`loading a TypeScript scenario or system needs tsx: ${String(error)}`);
    },
  );
  return typescript;
}

async function load(file: string): Promise<void> {
  if (typescript === undefined && (await needsTypeScript(file))) await typeScriptReady();
  await scenariosOf(file);
}

// One job at a time, in arrival order: a preload finishes before the run that follows it starts.
let queue: Promise<unknown> = Promise.resolve();
parentPort?.on('message', (message: WorkerRequest) => {
  queue = queue.then(async () => {
    if (message.type === 'preload') {
      for (const file of message.files) await load(file).catch(() => {}); // the run that needs it reports why
      return;
    }
    let reply: WorkerReply;
    try {
      await load(message.job.path ?? message.job.file);
      reply = { type: 'result', id: message.id, result: await runJob(message.job) };
    } catch (error) {
      reply = { type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
  });
});
