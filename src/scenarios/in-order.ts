/**
 * Find the first item of a list that passes an asynchronous test, `parallel` tests in flight at
 * once, reading the answers in list order: the answer is the one a one-by-one scan would give,
 * whatever order the tests finish in. Once it is known, the tests not started yet are cancelled
 * through the signal they were given (a pool drops them) and those still running are ignored.
 */
export interface FirstPassing<T> {
  /** Index of the first item whose test passed, or -1. */
  readonly index: number;
  /** The answers of items 0..index (all of them when none passed), in list order. */
  readonly answers: readonly T[];
}

export async function firstPassing<I, T>(
  items: readonly I[],
  parallel: number,
  test: (item: I, signal: AbortSignal) => Promise<T>,
  passes: (answer: T) => boolean,
): Promise<FirstPassing<T>> {
  const cancel = new AbortController();
  const inFlight: Promise<T>[] = [];
  const answers: T[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < Math.max(1, parallel) && next < items.length)
      inFlight.push(test(items[next++] as I, cancel.signal));
  };
  try {
    fill();
    while (inFlight.length > 0) {
      const answer = await (inFlight.shift() as Promise<T>);
      answers.push(answer);
      if (passes(answer)) return { index: answers.length - 1, answers };
      fill();
    }
    return { index: -1, answers };
  } finally {
    cancel.abort();
    // The ones still running are not awaited; a rejection among them must not go unhandled.
    for (const pending of inFlight) pending.catch(() => {});
  }
}
