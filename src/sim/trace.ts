/**
 * The trace: every kernel event with its virtual time and node, and a stable hash over it.
 * The hash is folded in incrementally over every record. Records are kept as typed columns
 * (see trace-store.ts): messages, timers and actions in a ring of the most recent `window`
 * (only reports read those), everything else — lifecycle, faults, errors, custom records — in
 * full. The public {@link TraceEvent} objects are built lazily when `events` is read.
 */
import { fnv1a } from './random.js';
import {
  KeptRecords,
  POOL_CHUNK,
  R_A,
  R_ARG,
  R_B,
  R_C,
  R_D,
  R_HEAD,
  R_SEQ,
  RecentRecords,
  RING_STRIDE,
} from './trace-store.js';
import { type MessageEvent, NEW_ADDRESS, type PartitionEvent, type TraceEvent } from './trace-types.js';

export * from './trace-types.js';

/** Message, timer and action records `sim.trace` keeps by default (the most recent ones). */
export const DEFAULT_TRACE_WINDOW = 262_144;

const NONE = 0;

export type MessageType = 'send' | 'deliver' | 'duplicate' | 'held' | 'drop';
/** Interned first in every trace, so their refs are constants. */
const FIXED = ['', 'send', 'deliver', 'duplicate', 'held', 'drop', 'timer', 'action'] as const;
const MESSAGE_TYPE_REFS: Readonly<Record<MessageType, number>> = {
  send: 1,
  deliver: 2,
  duplicate: 3,
  held: 4,
  drop: 5,
};
const SEND = MESSAGE_TYPE_REFS.send;
const DELIVER = MESSAGE_TYPE_REFS.deliver;
const DROP = MESSAGE_TYPE_REFS.drop;
const TIMER = 6;
const ACTION = 7;

/** A message as the trace sees it: interned names and its id. */
export interface MessageRefs {
  readonly fromRef: number;
  readonly toRef: number;
  readonly portRef: number;
  readonly id: number;
}
const TAG_FALSE = 0x5eed0;
const TAG_TRUE = 0x5eed1;
const TAG_NULL = 0x5eed2;
const TAG_OPAQUE = 0x5eed3;
const TAG_DEEP = 0x5eed4;
const TAG_ARRAY = 0x5e000000;
const TAG_OBJECT = 0x5f000000;
/** Deeper than this a record's fields stop being hashed (a cycle, say). */
const MAX_HASH_DEPTH = 32;
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

/** Bit set in a message record's head when the record belongs to the receiver's side. */
const AT_RECEIVER = 1 << 30;
/** Bit set in a kept record's head when it is a custom record (its fields start with a shape). */
const CUSTOM = 1 << 29;
const TYPE_MASK = CUSTOM - 1;

/** The own keys (but `type`) of the custom records of one type, in insertion order, with their hash order. */
interface Shape {
  readonly keys: readonly string[];
  /** Indices into `keys`, sorted by key: fields are hashed in this order. */
  readonly sorted: readonly number[];
  readonly hashes: readonly number[];
  /** Too many fields to lay out flat in a pool chunk: the values go in one array. */
  readonly boxed: boolean;
}

type CustomRecord = { readonly type: string; readonly [key: string]: unknown };

export class Trace {
  readonly #keep: boolean;
  readonly #strings: string[] = [];
  readonly #stringHashes: number[] = [];
  readonly #index = new Map<string, number>();
  readonly #recent: RecentRecords;
  readonly #kept = new KeptRecords();
  /** The last shape seen per custom type ref. */
  readonly #shapes = new Map<number, Shape>();
  /** Built events, and how far they reach into each store. */
  readonly #events: TraceEvent[] = [];
  #builtRecentFrom = 0;
  #builtRecent = 0;
  #builtKept = 0;
  #seq = 0;
  #h1 = 0x811c9dc5;
  #h2 = 0x9747b28c;

  readonly #keepCustom: boolean;

  /** `keep`: keep records at all; `window`: see {@link DEFAULT_TRACE_WINDOW}; `keepCustom`: keep custom records. */
  constructor(keep: boolean, window = DEFAULT_TRACE_WINDOW, keepCustom = true) {
    this.#keep = keep;
    this.#keepCustom = keep && keepCustom;
    this.#recent = new RecentRecords(window);
    for (const s of FIXED) this.intern(s);
  }

  /** How many events were traced (kept or not). */
  get length(): number {
    return this.#seq;
  }

  /** The small integer standing for `s` in this trace (stable for the trace's life). */
  intern(s: string): number {
    let i = this.#index.get(s);
    if (i === undefined) {
      i = this.#strings.length;
      this.#strings.push(s);
      this.#stringHashes.push(fnv1a(s));
      this.#index.set(s, i);
    }
    return i;
  }

  /**
   * A message event: send, deliver, duplicate, held, or drop (with `reason`), attributed to
   * the receiver when `atReceiver`, else to the sender. The hot path: refs only, no lookups;
   * only the send mixes the endpoints into the hash, the rest mix the message id.
   */
  message(time: number, type: MessageType, msg: MessageRefs, atReceiver: boolean, reason = ''): void {
    // Literal compares (internalised strings: pointer checks), cheaper than a keyed lookup.
    const typeRef = type === 'send' ? SEND : type === 'deliver' ? DELIVER : MESSAGE_TYPE_REFS[type];
    const micros = time * 1000;
    let h1 = this.#h1;
    let h2 = this.#h2;
    h1 = Math.imul(h1 ^ micros, P1) ^ typeRef;
    h2 = Math.imul(h2 ^ micros, P2) ^ typeRef;
    h1 = Math.imul(h1 ^ msg.id, P1);
    h2 = Math.imul(h2 ^ msg.id, P2) ^ (h2 >>> 15);
    if (typeRef === SEND) {
      // The send binds the id to its endpoints and port; later events of the message need only the id.
      const hashes = this.#stringHashes;
      const ends = hashes[msg.fromRef]! ^ Math.imul(hashes[msg.toRef]!, P2) ^ Math.imul(hashes[msg.portRef]!, P1);
      h1 = Math.imul(h1 ^ ends, P1);
      h2 = Math.imul(h2 ^ ends, P2) ^ (h2 >>> 15);
    } else if (atReceiver) h1 = Math.imul(h1 ^ 1, P1);
    this.#h1 = h1;
    this.#h2 = h2;
    const r = reason === '' ? NONE : this.#mixString(reason);
    const i = this.#recentRecord(time, atReceiver ? typeRef | AT_RECEIVER : typeRef, msg.id, msg.fromRef);
    if (i < 0) return;
    const meta = this.#recent.meta;
    meta[i + R_B] = msg.toRef;
    meta[i + R_C] = msg.portRef;
    meta[i + R_D] = r;
  }

  /** A timer firing; `nodeRef` is the owner's interned name (NONE for the world). */
  timer(time: number, nodeRef: number, id: number): void {
    this.#mix(time * 1000);
    this.#mix(this.#stringHashes[TIMER]!);
    this.#mix(this.#stringHashes[nodeRef]!);
    this.#mix(id);
    this.#recentRecord(time, TIMER, id, nodeRef);
  }

  /** A labelled world action (a scheduled fault, a workload step). */
  action(time: number, label: string): void {
    this.#mix(time * 1000);
    this.#mix(this.#stringHashes[ACTION]!);
    this.#recentRecord(time, ACTION, 0, this.#mixString(label));
  }

  /** Any other kernel event. `value` carries a number (incarnation, skew, rate), `text` a label. */
  event(time: number, type: string, node: string | undefined, value = 0, text = '', extra?: unknown): void {
    this.#mix(time * 1000);
    const t = this.#mixString(type);
    const n = node === undefined ? NONE : this.#mixString(node);
    this.#mixNumber(value);
    const x = text === '' ? NONE : this.#mixString(text);
    if (extra !== undefined) this.#mixValue(extra, 0);
    const seq = this.#seq++;
    if (!this.#keep) return;
    const kept = this.#kept;
    kept.push(time, seq, t, n, kept.reserve(3));
    kept.add(value);
    kept.add(x);
    kept.add(extra);
  }

  /**
   * A custom record (`ctx.record`, `sim.record`): its fields are hashed in key order and kept
   * flat in the pool, behind the shape their keys make (shared by every record of that shape).
   */
  custom(time: number, nodeRef: number, record: CustomRecord): void {
    this.#mix(time * 1000);
    const t = this.#mixString(record.type);
    this.#mix(this.#stringHashes[nodeRef]!);
    const shape = this.#shapeOf(t, record);
    const { keys, sorted, hashes } = shape;
    this.#mix(TAG_OBJECT ^ keys.length);
    for (let k = 0; k < sorted.length; k++) {
      const i = sorted[k]!;
      this.#mix(hashes[i]!);
      this.#mixValue(record[keys[i]!], 1);
    }
    const seq = this.#seq++;
    if (!this.#keepCustom) return;
    const kept = this.#kept;
    if (shape.boxed) {
      kept.push(time, seq, t | CUSTOM, nodeRef, kept.reserve(2));
      kept.add(shape);
      kept.add(keys.map((key) => record[key]));
      return;
    }
    kept.push(time, seq, t | CUSTOM, nodeRef, kept.reserve(1 + keys.length));
    kept.add(shape);
    for (let i = 0; i < keys.length; i++) kept.add(record[keys[i]!]);
  }

  /** Stable hex hash (64 bits) of everything traced so far. */
  hash(): string {
    return (this.#h1 >>> 0).toString(16).padStart(8, '0') + (this.#h2 >>> 0).toString(16).padStart(8, '0');
  }

  /**
   * The kept records as public events, in trace order: every kept record, and at least the
   * `window` most recent message, timer and action records (up to half a window more between
   * rebuilds, so reading the trace often stays cheap). Built on first read, then extended.
   */
  get events(): readonly TraceEvent[] {
    const recent = this.#recent;
    const oldest = recent.count - recent.size;
    const events = this.#events;
    // Rebuild when records not yet built have left the ring, or built ones are half a window stale.
    if (oldest > this.#builtRecent || oldest - this.#builtRecentFrom > recent.window / 2) {
      events.length = 0;
      this.#builtRecentFrom = this.#builtRecent = oldest;
      this.#builtKept = 0;
    }
    const kept = this.#kept;
    let r = this.#builtRecent;
    let k = this.#builtKept;
    while (r < recent.count || k < kept.count) {
      const rSeq = r < recent.count ? recent.field(r, R_SEQ) : Number.POSITIVE_INFINITY;
      const kSeq = k < kept.count ? kept.meta(k, 0) : Number.POSITIVE_INFINITY;
      events.push(rSeq < kSeq ? this.#recentEvent(r++) : this.#keptEvent(k++));
    }
    this.#builtRecent = r;
    this.#builtKept = k;
    return events;
  }

  /** Append a ring record (when records are kept); returns the offset of its fields in the ring's `meta`, or -1. */
  #recentRecord(time: number, head: number, arg: number, a: number): number {
    const seq = this.#seq++;
    if (!this.#keep) return -1;
    const ring = this.#recent;
    const j = ring.next();
    ring.time[j] = time;
    const meta = ring.meta;
    const i = j * RING_STRIDE;
    meta[i + R_SEQ] = seq;
    meta[i + R_HEAD] = head;
    meta[i + R_ARG] = arg;
    meta[i + R_A] = a;
    return i;
  }

  #shapeOf(typeRef: number, record: CustomRecord): Shape {
    const cached = this.#shapes.get(typeRef);
    if (cached !== undefined && sameKeys(cached.keys, record)) return cached;
    const keys = Object.keys(record).filter((k) => k !== 'type');
    const sorted = keys.map((_, i) => i).sort((x, y) => (keys[x]! < keys[y]! ? -1 : 1));
    const hashes = keys.map((key) => this.#stringHashes[this.intern(key)]!);
    const shape: Shape = { keys, sorted, hashes, boxed: keys.length + 1 > POOL_CHUNK };
    this.#shapes.set(typeRef, shape);
    return shape;
  }

  #mix(x: number): void {
    this.#h1 = Math.imul(this.#h1 ^ x, P1);
    this.#h2 = Math.imul(this.#h2 ^ x, P2) ^ (this.#h2 >>> 15);
  }

  #mixNumber(n: number): void {
    if (Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff) this.#mix(n);
    else this.#mix(fnv1a(String(n)));
  }

  /** Mix an interned string into the hash; returns its ref. */
  #mixString(s: string): number {
    const i = this.intern(s);
    this.#mix(this.#stringHashes[i]!);
    return i;
  }

  /**
   * Mix a value in without building text: primitives directly, objects by keys in sorted order
   * (so how an object was put together does not matter), key names through the intern table.
   */
  #mixValue(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'string':
        this.#mix(fnv1a(v));
        return;
      case 'number':
        this.#mixNumber(v);
        return;
      case 'boolean':
        this.#mix(v ? TAG_TRUE : TAG_FALSE);
        return;
      case 'bigint':
        this.#mix(fnv1a(`${v}n`));
        return;
      case 'undefined':
      case 'function':
      case 'symbol':
        this.#mix(TAG_OPAQUE);
        return;
    }
    if (v === null) {
      this.#mix(TAG_NULL);
      return;
    }
    if (depth > MAX_HASH_DEPTH) {
      this.#mix(TAG_DEEP);
      return;
    }
    if (Array.isArray(v)) {
      this.#mix(TAG_ARRAY ^ v.length);
      for (const item of v) this.#mixValue(item, depth + 1);
      return;
    }
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      this.#mix(fnv1a(String(JSON.stringify(v))));
      return;
    }
    const keys = Object.keys(v as object);
    if (keys.length > 1) keys.sort();
    this.#mix(TAG_OBJECT ^ keys.length);
    const hashes = this.#stringHashes;
    for (const key of keys) {
      this.#mix(hashes[this.intern(key)]!);
      this.#mixValue((v as Record<string, unknown>)[key], depth + 1);
    }
  }

  #recentEvent(n: number): TraceEvent {
    const r = this.#recent;
    const str = this.#strings;
    const f = (field: number) => r.field(n, field);
    const seq = f(R_SEQ);
    const time = r.timeOf(n);
    const head = f(R_HEAD);
    const arg = f(R_ARG);
    const typeRef = head & ~AT_RECEIVER;
    if (typeRef === TIMER) {
      const node = f(R_A);
      return node === NONE
        ? { seq, time, type: 'timer', id: arg }
        : { seq, time, node: str[node]!, type: 'timer', id: arg };
    }
    if (typeRef === ACTION) return { seq, time, type: 'action', label: str[f(R_A)]! };
    const from = str[f(R_A)]!;
    const to = str[f(R_B)]!;
    const port = str[f(R_C)]!;
    const node = head & AT_RECEIVER ? to : from;
    const type = str[typeRef] as MessageEvent['type'];
    if (typeRef === DROP) return { seq, time, node, type: 'drop', from, to, port, id: arg, reason: str[f(R_D)]! };
    return { seq, time, node, type, from, to, port, id: arg };
  }

  #keptEvent(i: number): TraceEvent {
    const kept = this.#kept;
    const str = this.#strings;
    const seq = kept.meta(i, 0);
    const time = kept.timeOf(i);
    const head = kept.meta(i, 1);
    const nodeRef = kept.meta(i, 2);
    const at = kept.meta(i, 3);
    const type = str[head & TYPE_MASK]!;
    const base = nodeRef === NONE ? { seq, time } : { seq, time, node: str[nodeRef]! };
    if (head & CUSTOM) {
      const { keys, boxed } = kept.field(at, 0) as Shape;
      const values = boxed ? (kept.field(at, 1) as unknown[]) : null;
      const record: Record<string, unknown> = { type };
      for (let f = 0; f < keys.length; f++) record[keys[f]!] = values === null ? kept.field(at, 1 + f) : values[f];
      return Object.assign(record, base, { type, custom: true as const }) as TraceEvent;
    }
    const value = kept.field(at, 0) as number;
    const text = str[kept.field(at, 1) as number]!;
    const extra = kept.field(at, 2);
    switch (type) {
      case 'restart':
        return text === NEW_ADDRESS
          ? { ...base, type, incarnation: value, newAddress: true }
          : { ...base, type, incarnation: value };
      case 'boot':
      case 'crash':
      case 'pause':
      case 'resume':
      case 'exec':
        return { ...base, type, incarnation: value };
      case 'skew':
      case 'drift':
        return { ...base, type, value };
      case 'partition': {
        const cut = extra as { from: string[]; to: string[] };
        return { ...base, type, mode: text as PartitionEvent['mode'], from: cut.from, to: cut.to };
      }
      case 'hold':
      case 'release': {
        const link = extra as { from: string; to: string };
        return { ...base, type, from: link.from, to: link.to };
      }
      case 'heal':
        return { ...base, type };
      case 'action':
        return { ...base, type, label: text };
      case 'error':
        return { ...base, type, message: text };
      case 'timer':
        return { ...base, type, id: value };
      default:
        return { ...(extra as Record<string, unknown>), ...base, type, custom: true };
    }
  }
}

/** Whether `record`'s own keys, `type` aside, are exactly `keys` in that order. */
function sameKeys(keys: readonly string[], record: CustomRecord): boolean {
  let i = 0;
  for (const key in record) {
    if (key === 'type') continue;
    if (keys[i] !== key) return false;
    i++;
  }
  return i === keys.length;
}
