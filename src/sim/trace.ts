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
): Extract<KernelEvent, { type: T }>[] {
  return trace.filter((e) => e.type === type && !('custom' in e)) as Extract<KernelEvent, { type: T }>[];
}

/** One compact record; fields unused by a type stay at their empty values. */
class TraceRecord {
  constructor(
    readonly seq: number,
    readonly time: number,
    readonly type: string,
    readonly node: string | undefined,
    readonly from: string,
    readonly to: string,
    readonly port: string,
    readonly id: number,
    readonly text: string,
    readonly extra: unknown,
  ) {}
}

const P1 = 0x01000193;
const P2 = 0x5bd1e995;

export class Trace {
  readonly #keep: boolean;
  readonly #records: TraceRecord[] = [];
  readonly #events: TraceEvent[] = [];
  readonly #stringHashes = new Map<string, number>();
  #seq = 0;
  #h1 = 0x811c9dc5;
  #h2 = 0x9747b28c;

  constructor(keep: boolean) {
    this.#keep = keep;
  }

  /** How many events were traced (kept or not). */
  get length(): number {
    return this.#seq;
  }

  /** A message event: send, deliver, duplicate, held, or drop (with `reason`). */
  message(time: number, type: string, node: string, from: string, to: string, port: string, id: number, reason = '') {
    this.#mixNumber(time);
    this.#mixString(type);
    this.#mixString(from);
    this.#mixString(to);
    this.#mixString(port);
    this.#mixNumber(id);
    if (reason !== '') this.#mixString(reason);
    const seq = this.#seq++;
    if (this.#keep) this.#records.push(new TraceRecord(seq, time, type, node, from, to, port, id, reason, undefined));
  }

  /** Any other event. `id` carries a number (timer id, incarnation, skew, rate), `text` a label. */
  event(time: number, type: string, node: string | undefined, id = 0, text = '', extra?: unknown): void {
    this.#mixNumber(time);
    this.#mixString(type);
    if (node !== undefined) this.#mixString(node);
    this.#mixNumber(id);
    if (text !== '') this.#mixString(text);
    if (extra !== undefined) this.#mixText(stableText(extra));
    const seq = this.#seq++;
    if (this.#keep) this.#records.push(new TraceRecord(seq, time, type, node, '', '', '', id, text, extra));
  }

  /** Stable hex hash (64 bits) of everything traced so far. */
  hash(): string {
    return (this.#h1 >>> 0).toString(16).padStart(8, '0') + (this.#h2 >>> 0).toString(16).padStart(8, '0');
  }

  /** The kept records as public events (built on first read, then extended incrementally). */
  get events(): readonly TraceEvent[] {
    for (let i = this.#events.length; i < this.#records.length; i++) {
      this.#events.push(toEvent(this.#records[i]!));
    }
    return this.#events;
  }

  #mixNumber(n: number): void {
    if (Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff) {
      this.#h1 = Math.imul(this.#h1 ^ n, P1);
      this.#h2 = Math.imul(this.#h2 ^ n, P2) ^ (this.#h2 >>> 15);
    } else this.#mixText(String(n));
  }

  #mixString(s: string): void {
    let h = this.#stringHashes.get(s);
    if (h === undefined) {
      h = fnv1a(s);
      this.#stringHashes.set(s, h);
    }
    this.#h1 = Math.imul(this.#h1 ^ h, P1);
    this.#h2 = Math.imul(this.#h2 ^ h, P2) ^ (this.#h2 >>> 15);
  }

  #mixText(s: string): void {
    const h = fnv1a(s);
    this.#h1 = Math.imul(this.#h1 ^ h, P1);
    this.#h2 = Math.imul(this.#h2 ^ h, P2) ^ (this.#h2 >>> 15);
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

function toEvent(r: TraceRecord): TraceEvent {
  const base = r.node === undefined ? { seq: r.seq, time: r.time } : { seq: r.seq, time: r.time, node: r.node };
  const type = r.type;
  switch (type) {
    case 'send':
    case 'deliver':
    case 'duplicate':
    case 'held':
      return { ...base, type, from: r.from, to: r.to, port: r.port, id: r.id };
    case 'drop':
      return { ...base, type, from: r.from, to: r.to, port: r.port, id: r.id, reason: r.text };
    case 'timer':
      return { ...base, type, id: r.id };
    case 'boot':
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'exec':
      return { ...base, type, incarnation: r.id };
    case 'skew':
    case 'drift':
      return { ...base, type, value: r.id };
    case 'partition': {
      const cut = r.extra as { from: string[]; to: string[] };
      return { ...base, type, mode: r.text as PartitionEvent['mode'], from: cut.from, to: cut.to };
    }
    case 'hold':
    case 'release': {
      const link = r.extra as { from: string; to: string };
      return { ...base, type, from: link.from, to: link.to };
    }
    case 'heal':
      return { ...base, type };
    case 'action':
      return { ...base, type, label: r.text };
    case 'error':
      return { ...base, type, message: r.text };
    default:
      return { ...(r.extra as Record<string, unknown>), ...base, type, custom: true };
  }
}
