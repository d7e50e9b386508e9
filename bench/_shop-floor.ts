/**
 * The JS floor under the shop bench: the same number of kernel events per checkout, at the same
 * arrival rate over the same virtual time, as bare promise hops through a binary heap. Each hop
 * pays what any simulator of this design must: a heap push and pop, an await per hop, a random
 * draw, a trace append (typed columns plus a hash mix), a timeout timer pushed and cancelled per
 * round trip, and one real macrotask hop per virtual instant. No network model, no fakes, no
 * codec, no RPC stack: the shop's virtual/wall ÷ this run's is how close it is to the ceiling.
 */

export interface FloorOptions {
  readonly virtualMs: number;
  readonly checkoutsPerSecond: number;
  /** Kernel events per checkout, as the shop run measured them (each is one hop here). */
  readonly eventsPerCheckout: number;
  readonly latencyMs: number;
}

export interface FloorResult {
  readonly events: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

interface Hop {
  time: number;
  seq: number;
  cancelled: boolean;
  resolve: (() => void) | null;
}

export async function shopFloor(options: FloorOptions): Promise<FloorResult> {
  const heap: Hop[] = [];
  let seq = 0;
  let now = 0;
  const less = (a: Hop, b: Hop) => a.time < b.time || (a.time === b.time && a.seq < b.seq);
  const push = (h: Hop) => {
    let i = heap.push(h) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(heap[p]!, h)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = h;
  };
  const pop = (): Hop => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= heap.length) break;
        if (c + 1 < heap.length && less(heap[c + 1]!, heap[c]!)) c++;
        if (less(last, heap[c]!)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  // Trace: typed columns and a running hash, as the kernel keeps them.
  const times = new Float64Array(1 << 16);
  let kept = 0;
  let hash = 0x811c9dc5;
  const trace = (time: number, id: number) => {
    times[kept++ & 0xffff] = time;
    hash = Math.imul(hash ^ time ^ id, 0x01000193);
  };
  let state = 0x9e3779b9;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const hop = () =>
    new Promise<void>((resolve) => {
      const time = now + options.latencyMs + (random() < 0 ? 1 : 0);
      push({ time, seq: seq++, cancelled: false, resolve });
    });
  const roundTrip = async () => {
    const timer: Hop = { time: now + 1_000, seq: seq++, cancelled: false, resolve: null };
    push(timer);
    await hop();
    await hop();
    timer.cancelled = true;
  };
  const roundTrips = Math.max(1, Math.round(options.eventsPerCheckout / 2));
  const checkout = async () => {
    for (let i = 0; i < roundTrips; i++) await roundTrip();
  };
  const gap = 1_000 / options.checkoutsPerSecond;
  for (let t = 0; t < options.virtualMs; t += gap) {
    push({ time: Math.ceil(t), seq: seq++, cancelled: false, resolve: () => void checkout() });
  }
  let events = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (heap.length > 0 && heap[0]!.time <= options.virtualMs) {
    now = heap[0]!.time;
    while (heap.length > 0 && heap[0]!.time === now) {
      const h = pop();
      if (h.cancelled || h.resolve === null) continue;
      trace(now, h.seq);
      h.resolve();
      events++;
      await null;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const used = process.cpuUsage(cpu);
  if (hash === 42) console.log(''); // keep the hash live
  return { events, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1_000 };
}
