/**
 * Apply a {@link FaultEvent} to a running world, resolving its targets at that moment: a service
 * name means all its replicas, `@role` asks the system who holds the role now, `*` means every
 * node. Returns the nodes it hit (for the timeline) and how to undo it (for `for`).
 */
import { storeControl } from '../fakes/store.js';
import { DEFAULT_LATENCY } from '../sim/latency.js';
import type { Sim } from '../sim/types.js';
import type { FaultAction } from './faults.js';
import type { BuiltSystem } from './system.js';

export interface AppliedFault {
  readonly nodes: readonly string[];
  readonly undo?: () => void;
}

export function resolveTargets(system: BuiltSystem, target: string): string[] {
  if (target === '*') return ['*'];
  if (target.startsWith('@')) {
    if (!system.role) throw new Error(`fault target ${target}: this system names no roles`);
    return [...system.role(target.slice(1))];
  }
  return [...(system.services[target] ?? [target])];
}

export function applyFault(sim: Sim, system: BuiltSystem, fault: FaultAction): AppliedFault {
  const targets = (t: string) => resolveTargets(system, t);
  const all = (ts: readonly string[]) => ts.flatMap(targets);
  const nodes = (name: string) => targets(name).filter((n) => n !== '*');
  const links = (from: string, to: string, set: (f: string, t: string) => void) => {
    for (const f of targets(from)) for (const t of targets(to)) set(f, t);
    return [...targets(from), ...targets(to)].filter((n) => n !== '*');
  };
  switch (fault.type) {
    case 'partition': {
      const a = all(fault.a);
      const b = all(fault.b);
      sim.net.partition(a, b);
      return { nodes: [...a, ...b], undo: () => sim.net.heal() };
    }
    case 'partition-one-way': {
      const from = all(fault.from);
      const to = all(fault.to);
      sim.net.partitionOneWay(from, to);
      return { nodes: [...from, ...to], undo: () => sim.net.heal() };
    }
    case 'isolate': {
      const hit = nodes(fault.node);
      for (const n of hit) sim.net.isolate(n);
      return { nodes: hit, undo: () => sim.net.heal() };
    }
    case 'heal':
      sim.net.heal();
      return { nodes: [] };
    case 'crash': {
      const hit = nodes(fault.node).filter((n) => sim.getNode(n).alive);
      for (const n of hit) sim.crash(n);
      return {
        nodes: hit,
        undo: () => {
          for (const n of hit) if (!sim.getNode(n).alive) sim.restart(n);
        },
      };
    }
    case 'restart': {
      const hit = nodes(fault.node);
      const options = fault.newAddress === true ? { newAddress: true } : {};
      for (const n of hit) sim.restart(n, options);
      return { nodes: hit };
    }
    case 'pause': {
      const hit = nodes(fault.node).filter((n) => sim.getNode(n).alive && !sim.getNode(n).paused);
      for (const n of hit) sim.pause(n);
      return {
        nodes: hit,
        undo: () => {
          for (const n of hit) if (sim.getNode(n).paused) sim.resume(n);
        },
      };
    }
    case 'resume': {
      const hit = nodes(fault.node).filter((n) => sim.getNode(n).paused);
      for (const n of hit) sim.resume(n);
      return { nodes: hit };
    }
    case 'skew': {
      const hit = nodes(fault.node);
      for (const n of hit) sim.skew(n, fault.ms);
      return {
        nodes: hit,
        undo: () => {
          for (const n of hit) sim.skew(n, 0);
        },
      };
    }
    case 'lag': {
      const hit = nodes(fault.node);
      const controls = hit.map((n) => {
        const control = storeControl(sim, n);
        if (control === undefined) throw new Error(`lag ${n}: not a store node (lag needs a storeNode)`);
        return control;
      });
      for (const control of controls) control.lag(fault.ms, Number.POSITIVE_INFINITY);
      return {
        nodes: hit,
        undo: () => {
          for (const control of controls) control.catchUp();
        },
      };
    }
    case 'latency': {
      const base = system.baseLatency ?? DEFAULT_LATENCY;
      const hit = links(fault.from, fault.to, (f, t) => sim.net.latency(f, t, fault.latency));
      return { nodes: hit, undo: () => links(fault.from, fault.to, (f, t) => sim.net.latency(f, t, base)) };
    }
    case 'loss':
    case 'duplicate':
    case 'reorder': {
      const set = (p: number) => (f: string, t: string) => sim.net[fault.type](f, t, p);
      const hit = links(fault.from, fault.to, set(fault.p));
      return { nodes: hit, undo: () => links(fault.from, fault.to, set(0)) };
    }
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}
