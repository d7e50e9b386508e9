/**
 * Where trace records live, as columns of typed arrays (struct of arrays): nothing per record for
 * the garbage collector to trace. Two stores:
 * - {@link RecentRecords}, a ring for the high-volume kinds (messages, timers, actions), which only
 *   reports read: at most `window` of the most recent are kept, so a long run stays flat.
 * - {@link KeptRecords}, append-only chunks for everything else (lifecycle, faults, errors and
 *   the custom records invariants judge), with a chunked pool for their fields.
 * Every record carries its global sequence number, so the two merge back into trace order.
 */

/** Ring records per chunk (at most): chunks are made as the ring fills and reused once it wraps. */
const RING_CHUNK = 16_384;
/** Int32 fields per ring record: seq, head (type ref and flags), argument, and four refs. */
export const RING_STRIDE = 7;
export const R_SEQ = 0;
export const R_HEAD = 1;
export const R_ARG = 2;
export const R_A = 3;
export const R_B = 4;
export const R_C = 5;
export const R_D = 6;

/**
 * The ring, in chunks that are never copied: after `next()` the record's time goes in
 * `time[j]` and its fields at `meta[j * RING_STRIDE + R_…]`, `j` being what `next` returned.
 */
export class RecentRecords {
  readonly window: number;
  /** Slots in all: the window rounded up to whole chunks. */
  readonly capacity: number;
  readonly #shift: number;
  readonly #times: Float64Array[] = [];
  readonly #metas: Int32Array[] = [];
  #slot = -1;
  /** Records ever appended; the oldest kept is `count - size`. */
  count = 0;
  /** The chunk the last `next()` points into. */
  time: Float64Array = new Float64Array(0);
  meta: Int32Array = new Int32Array(0);

  constructor(window: number) {
    this.window = window;
    let size = 1;
    while (size < window && size < RING_CHUNK) size *= 2;
    this.#shift = Math.log2(size);
    this.capacity = Math.ceil(window / size) * size;
  }

  /** How many records are kept now. */
  get size(): number {
    return Math.min(this.count, this.capacity);
  }

  /** Make room for the next record; returns its index in the current chunk. */
  next(): number {
    let slot = this.#slot + 1;
    if (slot === this.capacity) slot = 0;
    this.#slot = slot;
    this.count++;
    const mask = (1 << this.#shift) - 1;
    const j = slot & mask;
    if (j === 0) {
      const c = slot >> this.#shift;
      if (c === this.#times.length) {
        this.#times.push(new Float64Array(mask + 1));
        this.#metas.push(new Int32Array((mask + 1) * RING_STRIDE));
      }
      this.time = this.#times[c]!;
      this.meta = this.#metas[c]!;
    }
    return j;
  }

  /** Time of the `n`-th record ever appended (it must still be kept). */
  timeOf(n: number): number {
    const slot = n % this.capacity;
    return this.#times[slot >> this.#shift]![slot & ((1 << this.#shift) - 1)]!;
  }

  /** Field `f` (R_…) of the `n`-th record ever appended (it must still be kept). */
  field(n: number, f: number): number {
    const slot = n % this.capacity;
    return this.#metas[slot >> this.#shift]![(slot & ((1 << this.#shift) - 1)) * RING_STRIDE + f]!;
  }
}

const CHUNK = 8192;
/** Fields per pool chunk: the most one record may lay out flat. */
export const POOL_CHUNK = 8192;

/** Append-only records in fixed-size chunks (never copied as they grow): time, seq, head, node, arg. */
export class KeptRecords {
  count = 0;
  readonly #time: Float64Array[] = [];
  /** Four per record: seq, head, node, arg. */
  readonly #meta: Int32Array[] = [];
  /** Fields of the records that have any, in chunks; a record's `arg` is the offset of its first. */
  readonly #pool: unknown[][] = [];
  #poolUsed = POOL_CHUNK;

  /** Room for `n` (at most POOL_CHUNK) consecutive fields, to be filled with `add`; returns their offset. */
  reserve(n: number): number {
    if (this.#poolUsed + n > POOL_CHUNK) {
      this.#pool.push([]);
      this.#poolUsed = 0;
    }
    const offset = (this.#pool.length - 1) * POOL_CHUNK + this.#poolUsed;
    this.#poolUsed += n;
    return offset;
  }

  /** The next reserved field. */
  add(value: unknown): void {
    this.#pool[this.#pool.length - 1]!.push(value);
  }

  /** Field `k` of the fields at `offset`. */
  field(offset: number, k: number): unknown {
    return this.#pool[Math.floor(offset / POOL_CHUNK)]![(offset % POOL_CHUNK) + k];
  }

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
