/**
 * Checking a whole history: pair events into operations, keep those the model admits, split
 * them into independent partitions (per key: P-compositionality — a history is linearizable
 * iff each partition is), search each one, and combine. Past the time limit the verdict is
 * `unknown`: never a guess.
 */
import { type History, type Operation, toOperations } from '../history.js';
import { wallClock } from '../live.js';
import { type Model, type ResolvedModel, resolveModel } from '../models/model.js';
import type { ClockLike } from '../recorder.js';
import { explainViolation, type LinearizabilityViolation } from './explain.js';
import { createSearch, type SearchResult } from './search.js';

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface PartitionVerdict {
  readonly partition: string;
  readonly operations: number;
  readonly verdict: Verdict;
}

interface Common {
  readonly model: string;
  /** Operations that took part (after the model's admission). */
  readonly operations: number;
  readonly partitions: readonly PartitionVerdict[];
}

export type CheckResult =
  | (Common & { readonly type: 'linearizable' })
  | (Common & { readonly type: 'not-linearizable'; readonly violations: readonly LinearizabilityViolation[] })
  | (Common & { readonly type: 'unknown'; readonly reason: string });

export interface CheckOptions {
  /** Give up after this many milliseconds, with verdict `unknown`. Default: no limit. */
  readonly timeoutMs?: number;
  /**
   * Finish every partition even after one is found not linearizable, to explain them all.
   * Default: false — stop at the first violation (what the verdict needs; a violating
   * partition is often found long before a correct one is fully searched).
   */
  readonly exhaustive?: boolean;
  /** The clock the time limit is measured on. Default: the wall clock. */
  readonly clock?: ClockLike;
}

/** The parts of a history the search works on, per partition, in first-appearance order. */
export function partitionOperations(
  model: ResolvedModel<unknown>,
  ops: readonly Operation[],
): Map<string, Operation[]> {
  const parts = new Map<string, Operation[]>();
  for (const op of ops) {
    if (!model.admits(op)) continue;
    const key = model.partition(op);
    let part = parts.get(key);
    if (!part) parts.set(key, (part = []));
    part.push(op);
  }
  return parts;
}

export function validateCheckOptions(options: CheckOptions): void {
  const t = options.timeoutMs;
  if (t !== undefined && !(typeof t === 'number' && t > 0)) {
    throw new TypeError(`timeoutMs: expected a positive number of milliseconds, got ${String(t)}`);
  }
}

/** Check a history against a model. Throws HistoryError when events do not pair up. */
export function checkHistory<S>(history: History, model: Model<S>, options: CheckOptions = {}): CheckResult {
  return checkOperations(toOperations(history), model, options);
}

/** Check already-paired operations against a model. */
export function checkOperations<S>(
  ops: readonly Operation[],
  model: Model<S>,
  options: CheckOptions = {},
): CheckResult {
  validateCheckOptions(options);
  const resolved = resolveModel(model) as ResolvedModel<unknown>;
  const clock = options.clock ?? wallClock;
  const deadline = options.timeoutMs === undefined ? undefined : clock.now() + options.timeoutMs;
  const shouldStop = deadline === undefined ? undefined : () => clock.now() >= deadline;
  return combine(
    resolved.name,
    runPartitions(resolved, partitionOperations(resolved, ops), shouldStop, options.exhaustive ?? false),
  );
}

/**
 * Search every partition, taking turns in slices of doubling length (as if in parallel, but
 * deterministic): small and violating partitions finish early, and the first violation ends
 * the whole check unless `exhaustive`. Partitions left unfinished are `unknown`.
 */
export function runPartitions(
  model: ResolvedModel<unknown>,
  parts: ReadonlyMap<string, readonly Operation[]>,
  shouldStop: (() => boolean) | undefined,
  exhaustive: boolean,
): PartitionOutcome[] {
  const keys = [...parts.keys()];
  const outcomes = new Map<string, PartitionOutcome>();
  const searches = new Map(keys.map((key) => [key, createSearch(model, parts.get(key) ?? [])]));
  let budget = 1024;
  let stop = false;
  while (searches.size > 0 && !stop) {
    for (const [key, search] of searches) {
      const result = search.run(budget);
      if (result === undefined) continue;
      searches.delete(key);
      outcomes.set(key, outcome(model, key, parts.get(key) ?? [], result));
      if (result.type === 'not-linearizable' && !exhaustive) stop = true;
    }
    if (shouldStop?.()) stop = true;
    budget = Math.min(budget * 2, 1 << 20);
  }
  for (const [key, search] of searches) outcomes.set(key, outcome(model, key, parts.get(key) ?? [], search.abandon()));
  return keys.map((key) => outcomes.get(key) as PartitionOutcome);
}

export interface PartitionOutcome {
  readonly verdict: PartitionVerdict;
  readonly violation?: LinearizabilityViolation;
}

/** A partition's search result as a verdict, with a violation explained. */
function outcome(
  model: ResolvedModel<unknown>,
  key: string,
  ops: readonly Operation[],
  result: SearchResult<unknown>,
): PartitionOutcome {
  const verdict = (v: PartitionVerdict['verdict']) => ({ partition: key, operations: ops.length, verdict: v });
  switch (result.type) {
    case 'linearizable':
      return { verdict: verdict('linearizable') };
    case 'unknown':
      return { verdict: verdict('unknown') };
    case 'not-linearizable':
      return {
        verdict: verdict('not-linearizable'),
        violation: explainViolation(key, ops, result.prefix, model.describeState(result.state), result.stuck),
      };
    default: {
      const never: never = result;
      throw new Error(`unexpected search result ${String(never)}`);
    }
  }
}

/** Any violation makes the history not linearizable; otherwise any unknown makes it unknown. */
export function combine(model: string, outcomes: readonly PartitionOutcome[]): CheckResult {
  const partitions = outcomes.map((o) => o.verdict);
  const operations = partitions.reduce((sum, p) => sum + p.operations, 0);
  const violations = outcomes.flatMap((o) => (o.violation ? [o.violation] : []));
  if (violations.length > 0) return { type: 'not-linearizable', model, operations, partitions, violations };
  const unknown = partitions.filter((p) => p.verdict === 'unknown').length;
  if (unknown > 0) {
    return {
      type: 'unknown',
      model,
      operations,
      partitions,
      reason: `time limit reached with ${unknown} of ${partitions.length} partition(s) unfinished`,
    };
  }
  return { type: 'linearizable', model, operations, partitions };
}
