/**
 * Check a scenario against its system before any seed runs: every invariant it names exists (a
 * built-in or the system's own) and takes the options given; every fault target is `*`, a role
 * the system names, one of its services or a node of its world (a `lag` target: a store node).
 * The system is built once in a throwaway world to learn its names. Problems come back with the
 * scenario path they are at (`['faults', 2]`), so a YAML file can point at the line.
 */
import { storeControl } from '../fakes/store.js';
import { createSim } from '../sim/kernel.js';
import { BUILTIN_INVARIANTS, validateBuiltin } from './builtin-invariants.js';
import type { FaultEvent } from './faults.js';
import type { Scenario } from './scenario.js';
import type { BuiltSystem } from './system.js';

export interface ScenarioProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The seed of the throwaway world the system is built in to learn its names. */
const PROBE_SEED = 0;

export async function validateScenario(scenario: Scenario): Promise<ScenarioProblem[]> {
  const sim = createSim({ seed: PROBE_SEED });
  try {
    const system = await scenario.system.build(sim, scenario.systemOptions);
    const nodes = new Set(sim.nodes.map((n) => n.name));
    const problems: ScenarioProblem[] = [];
    scenario.invariants.forEach((ref, i) => {
      const message = invariantProblem(system, ref.name, ref.options);
      if (message !== undefined) problems.push({ path: ['invariants', i], message });
    });
    const targetProblem = (target: string, store = false): string | undefined => {
      if (target === '*') return store ? 'lag needs a store node, not *' : undefined;
      if (target.startsWith('@')) return roleProblem(system, target);
      const hit = system.services[target] ?? (nodes.has(target) ? [target] : undefined);
      if (hit === undefined)
        return `unknown fault target "${target}"; the system has services ${Object.keys(system.services).join(', ')} and nodes ${[...nodes].join(', ')}`;
      const notStore = store ? hit.find((n) => storeControl(sim, n) === undefined) : undefined;
      return notStore === undefined ? undefined : `lag ${target}: ${notStore} is not a store node`;
    };
    scenario.faults.forEach((fault, i) => {
      const targets = faultTargets(fault);
      if (fault.on !== undefined) targets.push([fault.on.node, false]);
      for (const [target, store] of targets) {
        const message = targetProblem(target, store);
        if (message !== undefined) {
          problems.push({ path: ['faults', i], message });
          break;
        }
      }
    });
    for (const [field, list] of [
      ['targets', scenario.nemesis?.targets],
      ['stores', scenario.nemesis?.stores],
    ] as const)
      (list ?? []).forEach((target, i) => {
        const message = targetProblem(target, field === 'stores');
        if (message !== undefined) problems.push({ path: ['nemesis', field, i], message });
      });
    return problems;
  } finally {
    if (!sim.disposed) sim.dispose();
  }
}

function invariantProblem(system: BuiltSystem, name: string, options: Readonly<Record<string, unknown>>) {
  try {
    const own = system.invariants?.[name];
    if (own !== undefined) {
      own(options);
      return undefined;
    }
    if (validateBuiltin(name, options)) return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const known = [...Object.keys(system.invariants ?? {}), ...Object.keys(BUILTIN_INVARIANTS)].sort();
  return `unknown invariant "${name}"; available: ${known.join(', ')}`;
}

function roleProblem(system: BuiltSystem, target: string): string | undefined {
  if (!system.role) return `fault target ${target}: this system names no roles`;
  try {
    system.role(target.slice(1));
    return undefined;
  } catch (error) {
    return `fault target ${target}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Every target a fault names, with whether it must be a store. */
function faultTargets(fault: FaultEvent): [string, boolean][] {
  switch (fault.type) {
    case 'partition':
      return [...fault.a, ...fault.b].map((t) => [t, false]);
    case 'partition-one-way':
      return [...fault.from, ...fault.to].map((t) => [t, false]);
    case 'heal':
      return [];
    case 'latency':
    case 'loss':
    case 'duplicate':
    case 'reorder':
      return [
        [fault.from, false],
        [fault.to, false],
      ];
    case 'lag':
      return [[fault.node, true]];
    default:
      return [[fault.node, false]];
  }
}
