/**
 * A sweep worker thread: receives {@link RunTask}s, answers with their results (or the error that
 * stopped a task), one at a time, until the parent closes it.
 */
import { parentPort } from 'node:worker_threads';
import type { RunResult } from './result.js';
import { executeTask, type RunTask } from './task.js';

export type WorkerReply =
  | { readonly type: 'result'; readonly index: number; readonly result: RunResult }
  | { readonly type: 'error'; readonly index: number; readonly message: string };

parentPort?.on('message', async (message: { index: number; task: RunTask }) => {
  let reply: WorkerReply;
  try {
    reply = { type: 'result', index: message.index, result: await executeTask(message.task) };
  } catch (error) {
    reply = { type: 'error', index: message.index, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
