/**
 * Which runs of the whole task list this invocation does: `--grep` (scenario names), `--last-failed`
 * (the (scenario, seed) pairs that failed last time) and `--shard k/n`. A pure function over the
 * list, so it composes with any pool: every task keeps its position in the whole list (`order`),
 * which is what `microcosm merge` sorts shards back by.
 *
 * Sharding deals the filtered list round-robin: task i goes to shard (i mod n) + 1. The n shards
 * are disjoint, their union is the whole run, and each gets every scenario's seeds spread evenly.
 */
import { UsageError } from './io.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface Selection {
  /** Case-insensitive regular expression over scenario names. */
  readonly grep?: RegExp;
  /** Keep only these `scenario\0seed` keys (see {@link runKey}). */
  readonly only?: ReadonlySet<string>;
  readonly shard?: Shard;
}

export interface Selected<T> {
  readonly task: T;
  /** Position in the whole (unfiltered, unsharded) list. */
  readonly order: number;
}

export const runKey = (scenario: string, seed: number): string => `${scenario}\u0000${seed}`;

export function selectTasks<T extends { readonly scenario: string; readonly seed: number }>(
  tasks: readonly T[],
  selection: Selection,
): Selected<T>[] {
  const kept = tasks
    .map((task, order) => ({ task, order }))
    .filter(({ task }) => selection.grep === undefined || selection.grep.test(task.scenario))
    .filter(({ task }) => selection.only === undefined || selection.only.has(runKey(task.scenario, task.seed)));
  const shard = selection.shard;
  if (shard === undefined) return kept;
  return kept.filter((_, i) => i % shard.count === shard.index - 1);
}

/** `k/n` with 1 ≤ k ≤ n; `n` alone is not a shard. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index >= 1) || index > count)
    throw new UsageError(`--shard: expected k/n with 1 ≤ k ≤ n (e.g. 2/4), got "${text}"`);
  return { index, count };
}

export function parseGrep(text: string): RegExp {
  try {
    return new RegExp(text, 'i');
  } catch (error) {
    throw new UsageError(`--grep: not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}
