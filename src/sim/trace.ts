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
}

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

/** A message as the trace sees it: interned names and its id. */
export interface MessageRefs {
  readonly fromRef: number;
  readonly toRef: number;
  readonly portRef: number;
  readonly id: number;
}
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

/**
 * Records live in typed columns: strings are interned to small integers (their hashes kept
 * beside them), so a record costs a few array writes and no object; nothing for the garbage
 * collector to trace however long the run.
 */
export class Trace {
  readonly #keep: boolean;
  readonly #strings: string[] = [];
  readonly #stringHashes: number[] = [];
  readonly #index = new Map<string, number>();
  /** Records in fixed-size chunks (never copied as the trace grows). */
  readonly #times: Float64Array[] = [];
  readonly #values: Float64Array[] = [];
  /** String refs per record: type, node, from, to, port, text (6 per record). */
  readonly #refChunks: Int32Array[] = [];
  #time = new Float64Array(0);
  #value = new Float64Array(0);
  #refs = new Int32Array(0);
  readonly #extra = new Map<number, unknown>();
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
    if (this.#keep) {
      const node = atReceiver ? msg.toRef : msg.fromRef;
      this.#push(time, MESSAGE_TYPE_REFS[type], node, msg.fromRef, msg.toRef, msg.portRef, msg.id, r);
    }
  }

  /** Any other event. `value` carries a number (timer id, incarnation, skew, rate), `text` a label. */
  event(time: number, type: string, node: string | undefined, value = 0, text = '', extra?: unknown): void {
    this.#mixTime(time);
    const t = this.#mixString(type);
    const n = node === undefined ? NONE : this.#mixString(node);
    this.#mixNumber(value);
    const x = text === '' ? NONE : this.#mixString(text);
    if (extra !== undefined) this.#mixText(stableText(extra));
    const seq = this.#seq++;
    if (this.#keep) {
      if (extra !== undefined) this.#extra.set(seq, extra);
      this.#push(time, t, n, NONE, NONE, NONE, value, x);
    }
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

  #push(time: number, type: number, node: number, from: number, to: number, port: number, value: number, text: number) {
    const i = this.#kept++ & CHUNK_MASK;
    if (i === 0) this.#addChunk();
    this.#time[i] = time;
    this.#value[i] = value;
    const refs = this.#refs;
    const r = 6 * i;
    refs[r] = type;
    refs[r + 1] = node;
    refs[r + 2] = from;
    refs[r + 3] = to;
    refs[r + 4] = port;
    refs[r + 5] = text;
  }

  #addChunk(): void {
    this.#times.push((this.#time = new Float64Array(CHUNK)));
    this.#values.push((this.#value = new Float64Array(CHUNK)));
    this.#refChunks.push((this.#refs = new Int32Array(6 * CHUNK)));
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

  #mixText(s: string): void {
    this.#mix(fnv1a(s));
  }

  #toEvent(i: number): TraceEvent {
    const chunk = Math.floor(i / CHUNK);
    const j = i & CHUNK_MASK;
    const refs = this.#refChunks[chunk]!;
    const ref = (field: number) => this.#strings[refs[6 * j + field]!]!;
    const seq = i;
    const time = this.#times[chunk]![j]!;
    const base = refs[6 * j + 1] === NONE ? { seq, time } : { seq, time, node: ref(1) };
    const type = ref(0);
    const value = this.#values[chunk]![j]!;
    const text = ref(5);
    const extra = this.#extra.get(i);
    switch (type) {
      case 'send':
      case 'deliver':
      case 'duplicate':
      case 'held':
        return { ...base, type, from: ref(2), to: ref(3), port: ref(4), id: value };
      case 'drop':
        return {
          ...base,
          type,
          from: ref(2),
          to: ref(3),
          port: ref(4),
          id: value,
          reason: text,
        };
      case 'timer':
        return { ...base, type, id: value };
      case 'boot':
      case 'crash':
      case 'restart':
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
