/**
 * fast-check's shrinking loop, with the candidates of each step checked `parallelism` at a time.
 * fast-check shrinks greedily: it walks the stream of smaller values the arbitrary offers, takes
 * the first one that still fails and starts again from there. Here each step takes the next
 * `parallelism` candidates of that stream, starts them all, and reads their answers in stream
 * order: the first failing one wins and the rest are cancelled (a queued run never starts). Only
 * the answers read count against the budget, so the search walks exactly the candidates, and
 * lands on exactly the value, that a one-at-a-time search would — whatever the parallelism.
 */
import type { Arbitrary } from 'fast-check';

export interface ShrinkSearchOptions<T> {
  /** Candidates the search may read answers for. */
  readonly budget: number;
  /** Candidates started at once. */
  readonly parallelism: number;
  /**
   * Whether `candidate` still fails. `signal` aborts when the answer is no longer wanted (an
   * earlier candidate of the same step failed); a rejection counts as "does not fail".
   */
  readonly fails: (candidate: T, signal: AbortSignal) => Promise<boolean>;
}

export interface ShrinkSearchResult<T> {
  /** The smallest failing value found (`start` if no smaller one fails). */
  readonly value: T;
  /** Candidates whose answers were read. */
  readonly runs: number;
}

export async function shrinkSearch<T>(
  arbitrary: Arbitrary<T>,
  start: T,
  options: ShrinkSearchOptions<T>,
): Promise<ShrinkSearchResult<T>> {
  const parallelism = Math.max(1, Math.floor(options.parallelism));
  let value = start;
  let context: unknown;
  let runs = 0;
  for (let improved = true; improved && runs < options.budget; ) {
    improved = false;
    const candidates = arbitrary.shrink(value, context)[Symbol.iterator]();
    for (let exhausted = false; !improved && !exhausted && runs < options.budget; ) {
      const batch = [];
      while (batch.length < Math.min(parallelism, options.budget - runs)) {
        const next = candidates.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        batch.push(next.value);
      }
      const cancel = new AbortController();
      const answers = batch.map((candidate) => options.fails(candidate.value, cancel.signal).catch(() => false));
      for (const [i, answer] of answers.entries()) {
        runs++;
        if (!(await answer)) continue;
        const winner = batch[i] as (typeof batch)[number];
        value = winner.value;
        context = winner.context;
        improved = true;
        cancel.abort();
        break;
      }
    }
  }
  return { value, runs };
}
