/**
 * AsyncQueue: a push-driven async iterable. Producers `push` values and finally `close()` it
 * (or `fail(error)`); one consumer iterates. Values pushed before anybody iterates are kept.
 * Breaking out of the iteration (or `return()`) runs `onReturn` once, so the producer can stop.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  readonly #values: T[] = [];
  #waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  #done = false;
  #error: { error: unknown } | undefined;
  readonly #onReturn: (() => void) | undefined;

  constructor(onReturn?: () => void) {
    this.#onReturn = onReturn;
  }

  get size(): number {
    return this.#values.length;
  }

  get closed(): boolean {
    return this.#done || this.#error !== undefined;
  }

  push(value: T): void {
    if (this.closed) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ value, done: false });
    } else this.#values.push(value);
  }

  /** End the iteration after the values already pushed. */
  close(): void {
    if (this.closed) return;
    this.#done = true;
    this.#settleWaiter();
  }

  /** End the iteration with an error after the values already pushed. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.#error = { error };
    this.#settleWaiter();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#values.length > 0) return Promise.resolve({ value: this.#values.shift()!, done: false });
    if (this.#error !== undefined) return Promise.reject(this.#error.error);
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    const wasOpen = !this.closed;
    this.#values.length = 0;
    this.#done = true;
    this.#settleWaiter();
    if (wasOpen) this.#onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settleWaiter(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    if (this.#error !== undefined) waiter.reject(this.#error.error);
    else waiter.resolve({ value: undefined, done: true });
  }
}
