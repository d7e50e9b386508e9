/**
 * Faults: what a scenario does to the world, and when. A fault schedule is a plain list of
 * {@link FaultEvent}s (virtual milliseconds since the start); a nemesis draws such a list from the
 * seed before the run starts, so every run — scheduled or drawn — has one concrete schedule that
 * the shrinker can cut down and a report can replay.
 *
 * Targets name nodes (`orders-1`), services (`orders` = every replica of it), `*` (everything) or a
 * role the system resolves at the moment the fault fires (`@leader`, `@lock-holder`).
 */

import type { LatencyDistribution } from '../sim/latency.js';

export type { LatencyDistribution };

/** One fault. `for` (ms), where given, undoes it that much later (heal, resume, restart, reset). */
export type FaultAction =
  | { readonly type: 'partition'; readonly a: readonly string[]; readonly b: readonly string[] }
  | { readonly type: 'partition-one-way'; readonly from: readonly string[]; readonly to: readonly string[] }
  | { readonly type: 'isolate'; readonly node: string }
  | { readonly type: 'heal' }
  | { readonly type: 'crash'; readonly node: string }
  /** `newAddress`: the node comes back on a new address; one held from before is dead. */
  | { readonly type: 'restart'; readonly node: string; readonly newAddress?: boolean }
  | { readonly type: 'pause'; readonly node: string }
  | { readonly type: 'resume'; readonly node: string }
  | { readonly type: 'skew'; readonly node: string; readonly ms: number }
  /** A store node's reads fall `ms` behind its writes (a lagging replica), until undone. */
  | { readonly type: 'lag'; readonly node: string; readonly ms: number }
  | { readonly type: 'latency'; readonly from: string; readonly to: string; readonly latency: LatencyDistribution }
  | { readonly type: 'loss'; readonly from: string; readonly to: string; readonly p: number }
  | { readonly type: 'duplicate'; readonly from: string; readonly to: string; readonly p: number }
  | { readonly type: 'reorder'; readonly from: string; readonly to: string; readonly p: number };

export type FaultType = FaultAction['type'];

export const FAULT_TYPES: readonly FaultType[] = [
  'partition',
  'partition-one-way',
  'isolate',
  'heal',
  'crash',
  'restart',
  'pause',
  'resume',
  'skew',
  'lag',
  'latency',
  'loss',
  'duplicate',
  'reorder',
];

/**
 * A trace trigger: the fault fires at the `count`-th record of type `record` (or an alias:
 * `writes` = store.write, `publishes` = broker/events.publish, `grants` = sync.grant, `acks`)
 * that `node` (a node or service) made, wrote, published or was granted — no sooner than `at`.
 */
export interface FaultTrigger {
  readonly record: string;
  readonly node: string;
  /** Default 1. */
  readonly count?: number;
}

/** A fault at a virtual time (or on a trace trigger armed at that time), optionally undone `for` ms later. */
export type FaultEvent = FaultAction & { readonly at: number; readonly for?: number; readonly on?: FaultTrigger };

/** A short human label, as people say it: `partition [orders] from [broker]`. */
export function describeFault(fault: FaultEvent): string {
  const base = describeAction(fault);
  const timed = fault.for === undefined ? base : `${base} for ${formatMs(fault.for)}`;
  const on = fault.on;
  if (on === undefined) return timed;
  return (on.count ?? 1) === 1
    ? `on ${on.node} ${on.record}: ${timed}`
    : `after ${on.count} ${on.record} on ${on.node}: ${timed}`;
}

export function describeAction(action: FaultAction): string {
  switch (action.type) {
    case 'partition':
      return `partition [${action.a.join(', ')}] from [${action.b.join(', ')}]`;
    case 'partition-one-way':
      return `partition one way [${action.from.join(', ')}] -> [${action.to.join(', ')}]`;
    case 'restart':
      return `restart ${action.node}${action.newAddress === true ? ' --new-address' : ''}`;
    case 'isolate':
    case 'crash':
    case 'pause':
    case 'resume':
      return `${action.type} ${action.node}`;
    case 'heal':
      return 'heal';
    case 'skew':
      return `skew ${action.node} by ${action.ms}ms`;
    case 'lag':
      return `lag ${action.node} by ${formatMs(action.ms)}`;
    case 'latency':
      return `latency ${action.from} -> ${action.to} ${describeLatency(action.latency)}`;
    case 'loss':
    case 'duplicate':
    case 'reorder':
      return `${action.type} ${action.from} -> ${action.to} p=${action.p}`;
    default: {
      const never: never = action;
      return String(never);
    }
  }
}

function describeLatency(latency: LatencyDistribution): string {
  switch (latency.type) {
    case 'constant':
      return `${latency.ms}ms`;
    case 'uniform':
      return `${latency.min}..${latency.max}ms`;
    case 'normal':
      return `~${latency.mean}±${latency.stddev}ms`;
    case 'pareto':
      return `pareto(${latency.scale}, ${latency.shape})`;
    default: {
      const never: never = latency;
      return String(never);
    }
  }
}

/** `1500` → `1.5s`, `250` → `250ms`. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))}s` : `${ms}ms`;
}
