/**
 * The trace's public records: one discriminated union (tag `type`) of what the kernel traces,
 * plus the custom records nodes and the world add with `record(...)`.
 */

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
