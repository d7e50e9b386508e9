import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shrinkSearch } from './shrink-search.js';

// A pure failure: the pair fails while it keeps at least two multiples of 7 and a 3.
const start: [number[], number[]] = [Array.from({ length: 40 }, (_, i) => i), [1, 2, 3, 4, 5, 6]];
const failsNow = ([xs, ys]: [number[], number[]]) => xs.filter((x) => x % 7 === 0).length >= 2 && ys.includes(3);
const arbitrary = () => fc.tuple(fc.subarray(start[0]), fc.subarray(start[1]));

async function search(parallelism: number, budget: number) {
  let started = 0;
  const result = await shrinkSearch(arbitrary(), start, {
    budget,
    parallelism,
    fails: async (candidate) => {
      started++;
      await Promise.resolve();
      return failsNow(candidate);
    },
  });
  return { ...result, started };
}

describe('shrinking with candidates in parallel', () => {
  it('lands where fast-check’s own sequential shrinker lands', async () => {
    const outcome = await fc.check(
      fc.property(fc.subarray(start[0]), fc.subarray(start[1]), (xs, ys) => !failsNow([xs, ys])),
      { examples: [start], numRuns: 1, endOnFailure: false },
    );
    const { value } = await search(1, 10_000);
    expect(value).toEqual(outcome.counterexample);
    expect(value[0]).toHaveLength(2); // as small as the failure allows
    expect(value[1]).toEqual([3]);
  });

  it('finds the same value in the same number of counted runs whatever the parallelism', async () => {
    const one = await search(1, 10_000);
    for (const parallelism of [2, 3, 8]) {
      const many = await search(parallelism, 10_000);
      expect(many.value).toEqual(one.value);
      expect(many.runs).toBe(one.runs);
      expect(many.started).toBeGreaterThanOrEqual(one.started); // the speculative ones
    }
  });

  it('stops at the same place when the budget runs out', async () => {
    const one = await search(1, 9);
    const four = await search(4, 9);
    expect(one.runs).toBe(9);
    expect(four).toMatchObject({ value: one.value, runs: 9 });
    expect(failsNow(four.value)).toBe(true);
    expect(four.value[0].length).toBeGreaterThan(2); // not done shrinking: the budget cut it short
  });
});
