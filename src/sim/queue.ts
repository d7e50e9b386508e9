/**
 * The event queue, ordered by (virtual time, sequence number). The sequence is assigned on
 * push, so events at the same instant run in the order they were scheduled.
 *
 * Many events share an instant (time is rounded to the resolution), so the queue is a
 * calendar: one FIFO bucket per distinct time, and a binary min-heap of those times. Pushing
 * is a map lookup and an array append; popping walks the front bucket by index. Both are O(1)
 * except when a new distinct time enters or leaves the heap.
 *
 * A cancelled event is taken out at once ({@link EventQueue.remove}): it is never popped, and an
 * instant left with nothing but cancelled timeouts is never visited. A time whose bucket emptied
 * that way may linger in the heap; it is skipped when it reaches the top.
 */

export interface Queued {
  readonly time: number;
  /** Assigned by the queue. */
  seq: number;
  /** Whether the event is in a queue now (set by push, cleared by pop and remove). */
  queued: boolean;
  /** Its index in its time's bucket (assigned by the queue; lets `remove` take it out in O(1)). */
  slot: number;
}

/** The events at one time, in push order; a removed one leaves a hole (null). */
interface Bucket<E> {
  readonly items: (E | null)[];
  live: number;
}

export class EventQueue<E extends Queued> {
  readonly #buckets = new Map<number, Bucket<E>>();
  /** Distinct times with a bucket, as a binary min-heap (possibly with stale times below the top). */
  readonly #times: number[] = [];
  /** The bucket of the earliest time while it is being consumed, and the next index in it. */
  #front: Bucket<E> | null = null;
  #frontIndex = 0;
  #size = 0;
  #seq = 0;
  /** The bucket pushed to last, and its time (NaN: none). */
  #lastTime = Number.NaN;
  #last: Bucket<E> | undefined = undefined;

  get size(): number {
    return this.#size;
  }

  /** The earliest event's time, or Infinity when empty. */
  get nextTime(): number {
    return this.#size === 0 ? Number.POSITIVE_INFINITY : this.#times[0]!;
  }

  /** How many events are queued at exactly `time`. */
  countAt(time: number): number {
    return this.#buckets.get(time)?.live ?? 0;
  }

  push(event: E): void {
    event.seq = this.#seq++;
    event.queued = true;
    this.#size++;
    const time = event.time;
    // Pushes come in runs at one time (an instant's deliveries): remember the last bucket.
    const bucket = time === this.#lastTime ? this.#last : this.#buckets.get(time);
    if (bucket !== undefined && bucket.live > 0) {
      event.slot = bucket.items.push(event) - 1;
      bucket.live++;
      this.#lastTime = time;
      this.#last = bucket;
      return;
    }
    event.slot = 0;
    const fresh = { items: [event], live: 1 };
    this.#buckets.set(time, fresh);
    this.#lastTime = time;
    this.#last = fresh;
    this.#pushTime(time);
  }

  pop(): E | undefined {
    if (this.#size === 0) return undefined;
    let front = this.#front;
    if (front === null) {
      front = this.#front = this.#buckets.get(this.#times[0]!)!;
      this.#frontIndex = 0;
    }
    const items = front.items;
    let event = items[this.#frontIndex++];
    while (event === null) event = items[this.#frontIndex++];
    const popped = event!;
    popped.queued = false;
    this.#size--;
    if (--front.live === 0) this.#retire(popped.time);
    return popped;
  }

  /** Take a queued event out (a cancelled timer), in O(1); a no-op for one already popped or removed. */
  remove(event: E): void {
    if (!event.queued) return;
    event.queued = false;
    const bucket = this.#buckets.get(event.time);
    if (bucket === undefined || bucket.items[event.slot] !== event) return; // cleared
    bucket.items[event.slot] = null;
    this.#size--;
    if (--bucket.live === 0) this.#retire(event.time);
  }

  /** The bucket at `time` is used up: drop it, and every heap time left without a bucket. */
  #retire(time: number): void {
    if (time === this.#lastTime) this.#last = undefined;
    this.#lastTime = Number.NaN;
    const buckets = this.#buckets;
    buckets.delete(time);
    const heap = this.#times;
    if (heap[0] !== time) return; // a later time: skipped when it reaches the top
    this.#front = null;
    while (heap.length > 0 && !buckets.has(heap[0]!)) this.#popTime();
  }

  clear(): void {
    this.#lastTime = Number.NaN;
    this.#last = undefined;
    this.#buckets.clear();
    this.#times.length = 0;
    this.#front = null;
    this.#size = 0;
  }
  #pushTime(time: number): void {
    const heap = this.#times;
    let i = heap.length;
    heap.push(time);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p <= time) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = time;
  }

  #popTime(): void {
    const heap = this.#times;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && heap[right]! < heap[left]! ? right : left;
      if (last <= heap[child]!) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
