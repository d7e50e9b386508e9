/**
 * The event queue: a binary min-heap ordered by (virtual time, sequence number). The sequence
 * is assigned on push, so events at the same instant run in the order they were scheduled.
 */

export interface Queued {
  readonly time: number;
  /** Assigned by the queue. */
  seq: number;
}

export class EventQueue<E extends Queued> {
  readonly #heap: E[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** The earliest event's time, or Infinity when empty. */
  get nextTime(): number {
    const top = this.#heap[0];
    return top === undefined ? Number.POSITIVE_INFINITY : top.time;
  }

  push(event: E): void {
    event.seq = this.#seq++;
    const heap = this.#heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (before(p, event)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  pop(): E | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let c = heap[left]!;
      if (right < n) {
        const r = heap[right]!;
        if (before(r, c)) {
          child = right;
          c = r;
        }
      }
      if (before(last, c)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}

const before = (a: Queued, b: Queued) => a.time < b.time || (a.time === b.time && a.seq < b.seq);
