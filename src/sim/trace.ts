/**
 * The trace: every kernel event with its virtual time and node, and a stable hash over it.
 * Records are stored compactly (one fixed-shape object of numbers and short strings) and the
 * hash is folded in incrementally, so tracing costs little on the hot path; the public
 * {@link TraceEvent} objects are built lazily when `events` is read.
 */
import { fnv1a } from './random.js';

interface Base {
  readonly seq: number;
  /** Virtual ms since the start. */
  readonly time: number;
  readonly node?: string;
}

/** A message's journey: sent, delivered, duplicated, held on a link, or dropped (with why). */
export interface MessageEvent extends Base {
  readonly type: 'send' | 'deliver' | 'duplicate' | 'held';
  readonly from: string;
  readonly to: string;
  readonly port: string;
  /** The message id (sequence of sends); a duplicate shares its original's id. */
  readonly id: number;
}

export type DropReason =
  | 'partition'
  | 'loss'
  | 'receiver-down'
  | 'receiver-restarted'
  | 'sender-down'
  | 'unknown-node'
  | 'no-handler'
  | (string & {});

export interface DropEvent extends Omit<MessageEvent, 'type'> {
  readonly type: 'drop';
  readonly reason: DropReason;
}

export interface TimerEvent extends Base {
  readonly type: 'timer';
  readonly id: number;
}

export interface LifecycleEvent extends Base {
  readonly type: 'boot' | 'crash' | 'restart' | 'pause' | 'resume' | 'exec';
  readonly incarnation: number;
  /** On a restart onto a new address (`restart(name, { newAddress: true })`). */
  readonly newAddress?: true;
}

/** The text of a restart record whose node came back on a new address. */
export const NEW_ADDRESS = 'new-address';

export interface ClockEvent extends Base {
  readonly type: 'skew' | 'drift';
  /** The skew in ms, or the drift rate. */
  readonly value: number;
}

export interface PartitionEvent extends Base {
  readonly type: 'partition';
  readonly mode: 'symmetric' | 'one-way' | 'isolate';
  readonly from: readonly string[];
  readonly to: readonly string[];
}

export interface LinkEvent extends Base {
  readonly type: 'hold' | 'release';
  readonly from: string;
  readonly to: string;
}

export interface HealEvent extends Base {
  readonly type: 'heal';
}

export interface ActionEvent extends Base {
  readonly type: 'action';
  readonly label: string;
}

export interface ErrorEvent extends Base {
  readonly type: 'error';
  readonly message: string;
}

/** Added by `ctx.record(...)`: the caller's type and fields, plus `custom: true`. */
export interface CustomEvent extends Base {
  readonly type: string;
  readonly custom: true;
  readonly [key: string]: unknown;
}

export type KernelEvent =
  | MessageEvent
  | DropEvent
  | TimerEvent
  | LifecycleEvent
  | ClockEvent
  | PartitionEvent
  | LinkEvent
  | HealEvent
  | ActionEvent
  | ErrorEvent;

export type TraceEvent = KernelEvent | CustomEvent;

export const KERNEL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'send',
  'deliver',
  'duplicate',
  'held',
  'drop',
  'timer',
  'boot',
  'crash',
  'restart',
  'pause',
  'resume',
  'exec',
  'skew',
  'drift',
  'partition',
  'hold',
  'release',
  'heal',
  'action',
  'error',
]);

/** The kernel events of one type, narrowed: `eventsOf(sim.trace, 'drop')` is DropEvent[]. */
export function eventsOf<T extends KernelEvent['type']>(
  trace: readonly TraceEvent[],
  type: T,
): (KernelEvent & { readonly type: T })[] {
  return trace.filter((e) => e.type === type && !('custom' in e)) as (KernelEvent & { readonly type: T })[];
}

const NONE = 0;
const CHUNK = 16_384;
const CHUNK_MASK = CHUNK - 1;

export type MessageType = 'send' | 'deliver' | 'duplicate' | 'held' | 'drop';
/** Interned first in every trace, so their refs are constants. */
const MESSAGE_TYPE_REFS: Readonly<Record<MessageType, number>> = {
  send: 1,
  deliver: 2,
  duplicate: 3,
  held: 4,
  drop: 5,
};
const SEND = MESSAGE_TYPE_REFS.send;
const DROP = MESSAGE_TYPE_REFS.drop;

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

/** A non-message record's fields (these are rare next to messages, so an object each is fine). */
interface Detail {
  readonly node: number;
  readonly value: number;
  readonly text: number;
  readonly extra: unknown;
}

/**
 * Records live in typed columns, 16 bytes each: the time, a head (type ref, plus a side bit for
 * messages) and an argument (the message id, or the index of a {@link Detail}). A message's
 * endpoints and port are stored once, by id, when it is first seen; strings are interned to
 * small integers with their hashes kept beside them. Nothing per message for the garbage
 * collector to trace, however long the run.
 */
export class Trace {
  readonly #keep: boolean;
  readonly #strings: string[] = [];
  readonly #stringHashes: number[] = [];
  readonly #index = new Map<string, number>();
  /** Record columns in fixed-size chunks (never copied as the trace grows). */
  readonly #timeChunks: Float64Array[] = [];
  readonly #metaChunks: Int32Array[] = [];
  #times = new Float64Array(0);
  /** Two per record: head, argument. */
  #metas = new Int32Array(0);
  /** Three per message id: from, to, port refs. */
  readonly #endpointChunks: Int32Array[] = [];
  #lastMessageId = 0;
  readonly #details: Detail[] = [];
  /** Drop reasons by record index. */
  readonly #reasons = new Map<number, number>();
  readonly #events: TraceEvent[] = [];
  #kept = 0;
  #seq = 0;
  #h1 = 0x811c9dc5;
  #h2 = 0x9747b28c;

  constructor(keep: boolean) {
    this.#keep = keep;
    for (const s of ['', ...Object.keys(MESSAGE_TYPE_REFS)]) this.intern(s); // fixed refs: '' = NONE, then the types
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
    const typeRef = MESSAGE_TYPE_REFS[type];
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
    this.#seq++;
    if (!this.#keep) return;
    if (msg.id > this.#lastMessageId) this.#addEndpoints(msg);
    const i = this.#push(time, atReceiver ? typeRef | AT_RECEIVER : typeRef, msg.id);
    if (r !== NONE) this.#reasons.set(i, r);
  }

  /** Any other event. `value` carries a number (timer id, incarnation, skew, rate), `text` a label. */
  event(time: number, type: string, node: string | undefined, value = 0, text = '', extra?: unknown): void {
    this.#mixTime(time);
    const t = this.#mixString(type);
    const n = node === undefined ? NONE : this.#mixString(node);
    this.#mixNumber(value);
    const x = text === '' ? NONE : this.#mixString(text);
    if (extra !== undefined) this.#mixValue(extra, 0);
    this.#seq++;
    if (!this.#keep) return;
    this.#push(time, t, this.#details.length);
    this.#details.push({ node: n, value, text: x, extra });
  }

  /** Stable hex hash (64 bits) of everything traced so far. */
  hash(): string {
    return (this.#h1 >>> 0).toString(16).padStart(8, '0') + (this.#h2 >>> 0).toString(16).padStart(8, '0');
  }

  /** The kept records as public events (built on first read, then extended incrementally). */
  get events(): readonly TraceEvent[] {
    for (let i = this.#events.length; i < this.#kept; i++) this.#events.push(this.#toEvent(i));
    return this.#events;
  }

  /** Append a record; returns its index. */
  #push(time: number, head: number, arg: number): number {
    const index = this.#kept++;
    const i = index & CHUNK_MASK;
    if (i === 0) {
      this.#timeChunks.push((this.#times = new Float64Array(CHUNK)));
      this.#metaChunks.push((this.#metas = new Int32Array(2 * CHUNK)));
    }
    this.#times[i] = time;
    this.#metas[2 * i] = head;
    this.#metas[2 * i + 1] = arg;
    return index;
  }

  #addEndpoints(msg: MessageRefs): void {
    const id = msg.id;
    this.#lastMessageId = id;
    const chunk = Math.floor(id / CHUNK);
    while (this.#endpointChunks.length <= chunk) this.#endpointChunks.push(new Int32Array(3 * CHUNK));
    const ends = this.#endpointChunks[chunk]!;
    const j = 3 * (id & CHUNK_MASK);
    ends[j] = msg.fromRef;
    ends[j + 1] = msg.toRef;
    ends[j + 2] = msg.portRef;
  }

  #mix(x: number): void {
    this.#h1 = Math.imul(this.#h1 ^ x, P1);
    this.#h2 = Math.imul(this.#h2 ^ x, P2) ^ (this.#h2 >>> 15);
  }

  /** Time in microseconds (ToInt32 wraps after ~35 virtual minutes: still deterministic). */
  #mixTime(time: number): void {
    this.#mix(time * 1000);
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
   * Mix a record's fields in without building text: keys in sorted order (so how an object was
   * put together does not matter), key names through the intern table's cached hashes.
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

  #toEvent(i: number): TraceEvent {
    const chunk = Math.floor(i / CHUNK);
    const j = i & CHUNK_MASK;
    const metas = this.#metaChunks[chunk]!;
    const head = metas[2 * j]!;
    const arg = metas[2 * j + 1]!;
    const str = (ref: number) => this.#strings[ref]!;
    const seq = i;
    const time = this.#timeChunks[chunk]![j]!;
    const typeRef = head & ~AT_RECEIVER;
    const type = str(typeRef);
    if (typeRef >= SEND && typeRef <= DROP) {
      const ends = this.#endpointChunks[Math.floor(arg / CHUNK)]!;
      const e = 3 * (arg & CHUNK_MASK);
      const from = str(ends[e]!);
      const to = str(ends[e + 1]!);
      const port = str(ends[e + 2]!);
      const node = head & AT_RECEIVER ? to : from;
      const message = { seq, time, node, type, from, to, port, id: arg };
      if (typeRef === DROP) return { ...message, type: 'drop', reason: str(this.#reasons.get(i) ?? NONE) };
      return message as MessageEvent;
    }
    const d = this.#details[arg]!;
    const base = d.node === NONE ? { seq, time } : { seq, time, node: str(d.node) };
    const value = d.value;
    const text = str(d.text);
    const extra = d.extra;
    switch (type) {
      case 'timer':
        return { ...base, type, id: value };
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
      default:
        return { ...(extra as Record<string, unknown>), ...base, type, custom: true };
    }
  }
}

/** JSON with sorted keys; bigint, undefined and functions written as tags, so it never throws on them. */
export function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'function' || typeof v === 'symbol') return `<${typeof v}>`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}
