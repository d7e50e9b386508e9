/**
 * fast-check's shrinking loop, with the candidates of each step checked `parallelism` at a time.
 * fast-check shrinks greedily: it walks the stream of smaller values the arbitrary offers, takes
 * the first one that still fails and starts again from there. Here each step keeps the next
 * `parallelism` candidates of that stream in flight and reads their answers in stream order: a
 * passing one makes room for the next candidate, the first failing one wins and the rest are
 * cancelled (a queued run never starts). Only the answers read count against the budget, so the
 * search walks exactly the candidates, and lands on exactly the value, that a one-at-a-time
 * search would — whatever the parallelism.
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
    const cancel = new AbortController();
    // A sliding window: `parallelism` candidates in flight, answers read in stream order, and
    // never more started than the budget could still read.
    const window: { candidate: ReturnType<typeof candidates.next>['value']; answer: Promise<boolean> }[] = [];
    const fill = () => {
      while (window.length < Math.min(parallelism, options.budget - runs)) {
        const next = candidates.next();
        if (next.done) return;
        window.push({
          candidate: next.value,
          answer: options.fails(next.value.value, cancel.signal).catch(() => false),
        });
      }
    };
    fill();
    while (window.length > 0) {
      const head = window.shift() as (typeof window)[number];
      runs++;
      if (await head.answer) {
        value = head.candidate.value;
        context = head.candidate.context;
        improved = true;
        break;
      }
      fill();
    }
    cancel.abort();
  }
  return { value, runs };
}
