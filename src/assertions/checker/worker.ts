/**
 * The worker side of parallel checking (see parallel.ts): searches the partitions it is
 * given against a built-in model and posts their outcomes. Models cross the thread boundary
 * by name, since functions cannot.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Operation } from '../history.js';
import { wallClock } from '../live.js';
import { MODELS, type ModelName } from '../models/index.js';
import { type ResolvedModel, resolveModel } from '../models/model.js';
import { runPartitions } from './check.js';

/** What the main thread sends. */
export interface WorkerTask {
  readonly model: ModelName;
  readonly partitions: readonly (readonly [string, readonly Operation[]])[];
  /** Milliseconds left of the time limit, if any. */
  readonly remainingMs?: number;
  readonly exhaustive: boolean;
}

const task = workerData as WorkerTask;
const model = resolveModel(MODELS[task.model] as never) as ResolvedModel<unknown>;
const deadline = task.remainingMs === undefined ? undefined : wallClock.now() + task.remainingMs;
const outcomes = runPartitions(
  model,
  new Map(task.partitions),
  deadline === undefined ? undefined : () => wallClock.now() >= deadline,
  task.exhaustive,
);
parentPort?.postMessage(outcomes);
