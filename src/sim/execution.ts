/**
 * The promise `sim.exec` returns. Awaiting it while the simulation is idle drives the
 * simulation until it settles (so `await sim.exec(...)` just works from a test); awaiting it
 * inside a run, or after it settled, is an ordinary await. Creating one does not drive anything,
 * so `const p = sim.exec(...); await sim.runFor(100); await p` works too.
 */
export class Execution<T> implements Promise<T> {
  readonly [Symbol.toStringTag] = 'Promise';
  readonly #inner: Promise<T>;
  /** Returns a promise that drives the simulation until `inner` settles, or null when it must not drive. */
  readonly #drive: (inner: Promise<T>) => Promise<T> | null;
  #settled = false;

  constructor(inner: Promise<T>, drive: (inner: Promise<T>) => Promise<T> | null) {
    this.#drive = drive;
    const mark = () => {
      this.#settled = true;
    };
    inner.then(mark, mark);
    this.#inner = inner;
  }

  // biome-ignore lint/suspicious/noThenProperty: this is a promise, on purpose.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const source = this.#settled ? this.#inner : (this.#drive(this.#inner) ?? this.#inner);
    return source.then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then(
      (value) => {
        onfinally?.();
        return value;
      },
      (reason: unknown) => {
        onfinally?.();
        throw reason;
      },
    );
  }
}
