/**
 * A system under test, as a scenario sees it: something that boots its services onto the nodes of
 * a simulated world, runs client operations, names its roles and offers invariants over its state.
 * The example shop is one; a team's own system is another. The runner depends only on this.
 */
import type { LatencyDistribution } from '../sim/latency.js';
import type { Sim } from '../sim/types.js';
import type { InvariantFactory } from './invariant.js';
import type { WorkloadOp } from './workload-types.js';

/**
 * Contract:
 * - `build` creates every node of the system in `sim` (at virtual time 0) and returns a handle.
 *   It must draw randomness only from the sim (named streams, node runtimes), never from globals.
 * - `options` knobs are validated by `parseOptions` when given (throw an Error naming the field).
 */
export interface SystemDefinition<Options = unknown> {
  readonly name: string;
  /** Validate and complete the scenario's `system.options`; throw naming the bad field. */
  parseOptions?(raw: unknown): Options;
  build(sim: Sim, options: Options): BuiltSystem | Promise<BuiltSystem>;
}

/**
 * A running system.
 * - `services` maps a service name to its node names (a fault on `orders` hits every replica).
 * - `clients` are the nodes the workload runs on; operation `i` runs on `clients[i % length]`.
 * - `call` performs one workload operation as client node `client` and resolves with its result,
 *   or rejects: a MicroError TIMEOUT/UNAVAILABLE (or abort) counts as `unknown`, anything else `fail`.
 * - `role('leader')` answers which nodes hold a role right now (`@leader` in a fault schedule).
 * - `invariants` are the system's own checks over its state and history, by name.
 */
export interface BuiltSystem {
  readonly services: Readonly<Record<string, readonly string[]>>;
  readonly clients: readonly string[];
  call(op: WorkloadOp, client: string): Promise<unknown>;
  role?(name: string): readonly string[];
  readonly invariants?: Readonly<Record<string, InvariantFactory>>;
  /** The base network (reapplied when a latency spike ends). Default: the sim's default. */
  readonly baseLatency?: LatencyDistribution;
}

/** Identity helper that types a system definition. */
export function defineSystem<Options>(definition: SystemDefinition<Options>): SystemDefinition<Options> {
  return definition;
}
