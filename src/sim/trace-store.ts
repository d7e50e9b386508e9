/**
 * Where trace records live, as columns of typed arrays (struct of arrays): nothing per record for
 * the garbage collector to trace. Two stores:
 * - {@link RecentRecords}, a ring for the high-volume kinds (messages, timers, actions), which only
 *   reports read: at most `window` of the most recent are kept, so a long run stays flat.
 * - {@link KeptRecords}, append-only chunks for everything else (lifecycle, faults, errors and
 *   the custom records invariants judge), with a flat pool for their fields.
 * Every record carries its global sequence number, so the two merge back into trace order.
 */

const MIN_RING = 1024;

/** One ring record: time, seq, head (type ref and flags), argument and four refs. */
export class RecentRecords {
  readonly window: number;
  #capacity = 0;
  /** Records ever appended; the oldest kept is `count - size`. */
  count = 0;
  time = new Float64Array(0);
  seq = new Int32Array(0);
  head = new Int32Array(0);
  arg = new Int32Array(0);
  a = new Int32Array(0);
  b = new Int32Array(0);
  c = new Int32Array(0);
  d = new Int32Array(0);

  constructor(window: number) {
    this.window = window;
  }

  /** How many records are kept now. */
  get size(): number {
    return Math.min(this.count, this.#capacity);
  }

  /** The slot of the `n`-th record ever appended (it must still be kept). */
  slot(n: number): number {
    return n % this.#capacity;
  }

  /** The slot to write the next record into (the caller fills every column). */
  next(): number {
    if (this.count === this.#capacity && this.#capacity < this.window) this.#grow();
    return this.count++ % this.#capacity;
  }

  #grow(): void {
    const capacity = Math.min(this.window, Math.max(MIN_RING, 2 * this.#capacity));
    const grow = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const array = make(capacity);
      array.set(old);
      return array;
    };
    const f64 = (n: number) => new Float64Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.time = grow(this.time, f64);
    this.seq = grow(this.seq, i32);
    this.head = grow(this.head, i32);
    this.arg = grow(this.arg, i32);
    this.a = grow(this.a, i32);
    this.b = grow(this.b, i32);
    this.c = grow(this.c, i32);
    this.d = grow(this.d, i32);
    this.#capacity = capacity;
  }
}

const CHUNK = 8192;

/** Append-only records in fixed-size chunks (never copied as they grow): time, seq, head, node, arg. */
export class KeptRecords {
  count = 0;
  readonly #time: Float64Array[] = [];
  /** Four per record: seq, head, node, arg. */
  readonly #meta: Int32Array[] = [];
  /** Fields of the records that have any, flat; a record's `arg` is its offset here. */
  readonly pool: unknown[] = [];

  push(time: number, seq: number, head: number, node: number, arg: number): void {
    const i = this.count++;
    const j = i % CHUNK;
    if (j === 0) {
      this.#time.push(new Float64Array(CHUNK));
      this.#meta.push(new Int32Array(4 * CHUNK));
    }
    this.#time[this.#time.length - 1]![j] = time;
    const meta = this.#meta[this.#meta.length - 1]!;
    meta[4 * j] = seq;
    meta[4 * j + 1] = head;
    meta[4 * j + 2] = node;
    meta[4 * j + 3] = arg;
  }

  timeOf(i: number): number {
    return this.#time[Math.floor(i / CHUNK)]![i % CHUNK]!;
  }

  /** Field `f` (0 seq, 1 head, 2 node, 3 arg) of record `i`. */
  meta(i: number, f: number): number {
    return this.#meta[Math.floor(i / CHUNK)]![4 * (i % CHUNK) + f]!;
  }
}
