/**
 * Checking off the main thread: partitions are spread over worker threads (largest first,
 * each to the least loaded worker), so a large history neither blocks the event loop nor
 * leaves cores idle. Only built-in models can travel to a worker (by name); a custom model,
 * or a small history, is checked in-process. The first violation stops the other workers
 * unless `exhaustive`.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type History, type Operation, toOperations } from '../history.js';
import { wallClock } from '../live.js';
import { isModelName, MODELS, type ModelName } from '../models/index.js';
import { type ResolvedModel, resolveModel } from '../models/model.js';
import {
  type CheckOptions,
  type CheckResult,
  checkOperations,
  combine,
  type PartitionOutcome,
  partitionOperations,
  validateCheckOptions,
} from './check.js';
import type { WorkerTask } from './worker.js';

export interface ParallelOptions extends CheckOptions {
  /** `auto`: workers when the history has at least `minOperations` and the model is built in. Default: 'auto'. */
  readonly parallel?: 'auto' | 'always' | 'never';
  /** Default: {@link DEFAULT_PARALLEL_MIN_OPERATIONS}. */
  readonly minOperations?: number;
  /** Default: the machine's available parallelism. */
  readonly workers?: number;
}

/**
 * A worker running the worker module beside this one: `worker.js` in the built package, run as
 * it is; `worker.ts` when running from the sources (tests), where the worker first installs
 * tsx's CommonJS loader (`--import tsx` and tsx's ESM hooks do not reach worker threads on
 * Node 20).
 */
function startWorker(task: WorkerTask): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url));
  if (!fromSources) return new Worker(entry, { workerData: task, execArgv: [] });
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(boot, { eval: true, workerData: task, execArgv: [] });
}

/** Below this many operations, starting workers (each loads TypeScript) costs more than it saves. */
export const DEFAULT_PARALLEL_MIN_OPERATIONS = 50_000;

/** Check a history against a built-in model (by name or value), in workers when large. */
export async function checkHistoryParallel(
  history: History,
  model: ModelName | (typeof MODELS)[ModelName],
  options: ParallelOptions = {},
): Promise<CheckResult> {
  validateCheckOptions(options);
  const name = typeof model === 'string' ? model : model.name;
  if (!isModelName(name))
    throw new TypeError(`model: "${name}" is not a built-in model (${Object.keys(MODELS).join(', ')})`);
  const ops = toOperations(history);
  const mode = options.parallel ?? 'auto';
  const big = ops.length >= (options.minOperations ?? DEFAULT_PARALLEL_MIN_OPERATIONS);
  if (mode === 'never' || (mode === 'auto' && !big)) return checkOperations(ops, MODELS[name] as never, options);

  const resolved = resolveModel(MODELS[name] as never) as ResolvedModel<unknown>;
  const parts = [...partitionOperations(resolved, ops)];
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), parts.length));
  const buckets = Array.from({ length: count }, () => ({ size: 0, parts: [] as [string, Operation[]][] }));
  for (const part of [...parts].sort((a, b) => b[1].length - a[1].length)) {
    const lightest = buckets.reduce((min, b) => (b.size < min.size ? b : min));
    lightest.parts.push(part);
    lightest.size += part[1].length;
  }
  const clock = options.clock ?? wallClock;
  const deadline = options.timeoutMs === undefined ? undefined : clock.now() + options.timeoutMs;
  const exhaustive = options.exhaustive ?? false;
  const workers: Worker[] = [];
  const outcomes = new Map<string, PartitionOutcome>();
  try {
    await Promise.all(
      buckets.map(async (bucket) => {
        const task: WorkerTask = {
          model: name,
          partitions: bucket.parts,
          exhaustive,
          ...(deadline === undefined ? {} : { remainingMs: Math.max(1, deadline - clock.now()) }),
        };
        const worker = startWorker(task);
        workers.push(worker);
        const results = await new Promise<PartitionOutcome[] | undefined>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', () => resolve(undefined)); // terminated after another worker found a violation
        });
        for (const outcome of results ?? []) outcomes.set(outcome.verdict.partition, outcome);
        if (!exhaustive && results?.some((o) => o.violation)) for (const w of workers) void w.terminate();
      }),
    );
  } finally {
    for (const w of workers) void w.terminate();
  }
  const ordered = parts.map(
    ([key, part]): PartitionOutcome =>
      outcomes.get(key) ?? { verdict: { partition: key, operations: part.length, verdict: 'unknown' } },
  );
  return combine(name, ordered);
}
