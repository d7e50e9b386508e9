/**
 * clusterSystem: a scenario's system under test written as a `services:` map — the same map
 * createSimCluster takes — plus the operations a workload may name and the system's invariants.
 * Every run builds a fresh cluster into the runner's world; faults may target any replica
 * (`greeter-1`), a service (`greeter`: every replica) or an infrastructure node (`broker`).
 *
 * ```ts
 * export default clusterSystem({
 *   name: 'greetings',
 *   services: { greeter: { replicas: 2, setup: (s) => void s.handle('Greeter', new Greeter()) } },
 *   infrastructure: ['store'],
 *   operations: {
 *     hello: ({ client, op }) => client.call('greeter', 'Greeter.Hello', { name: op.key }),
 *   },
 * });
 * ```
 */
import type { Client } from '../micro/client/types.js';
import { badRequest } from '../micro/errors.js';
import { buildSimCluster, DEFAULT_CLUSTER_LATENCY, type SimCluster, type SimClusterOptions } from '../fakes/cluster.js';
import type { Invariant } from './invariant.js';
import { defineSystem, type SystemDefinition } from './system.js';
import type { WorkloadOp } from './workload-types.js';

/** What an operation gets: the client node's client (inside the simulation), the op, the cluster. */
export interface OperationContext<Options> {
  readonly client: Client;
  readonly op: WorkloadOp;
  readonly cluster: SimCluster;
  readonly options: Options;
}

export type ClusterOperation<Options> = (context: OperationContext<Options>) => Promise<unknown>;

/** A system invariant: made per run from the scenario's options for it and the run's cluster. */
export type ClusterInvariant<Options> = (
  invariantOptions: Readonly<Record<string, unknown>>,
  context: { readonly cluster: SimCluster; readonly options: Options },
) => Invariant;

type ClusterShape = Omit<SimClusterOptions, 'seed' | 'clientNode'>;

export interface ClusterSystemSpec<Options = undefined> extends Omit<ClusterShape, 'services'> {
  readonly name: string;
  /** Service name → replicas, setup, spec (see createSimCluster); or a function of the options. */
  readonly services:
    | NonNullable<ClusterShape['services']>
    | ((options: Options) => NonNullable<ClusterShape['services']>);
  /** Workload operation name → what it does. A workload naming another op fails that op. */
  readonly operations: Readonly<Record<string, ClusterOperation<Options>>>;
  /** Invariants by the name scenarios use. Default: none (the built-in ones still apply). */
  readonly invariants?: Readonly<Record<string, ClusterInvariant<Options>>>;
  /** Roles a fault may target (`@leader`), answered when the fault fires. Default: none. */
  readonly roles?: Readonly<Record<string, (cluster: SimCluster) => readonly string[]>>;
  /** Validate and complete the scenario's `system.options`; throw naming the bad field. */
  readonly parseOptions?: (raw: unknown) => Options;
}

export function clusterSystem<Options = undefined>(spec: ClusterSystemSpec<Options>): SystemDefinition<Options> {
  const { name, services, operations, invariants = {}, roles = {}, parseOptions, ...shape } = spec;
  if (Object.keys(operations).length === 0)
    throw badRequest(`clusterSystem "${name}": operations must name at least one`);
  return defineSystem<Options>({
    name,
    ...(parseOptions === undefined ? {} : { parseOptions }),
    async build(sim, options) {
      const cluster = await buildSimCluster(sim, {
        ...shape,
        services: typeof services === 'function' ? services(options) : services,
      });
      const known = Object.keys(operations).join(', ');
      return {
        services: cluster.nodes,
        clients: [cluster.clientNode],
        call(op) {
          const operation = operations[op.op];
          if (operation === undefined)
            return Promise.reject(badRequest(`system "${name}" has no operation "${op.op}" (it has: ${known})`));
          return operation({ client: cluster.inside.client, op, cluster, options });
        },
        role(role) {
          const answer = roles[role];
          if (answer === undefined)
            throw new Error(
              `unknown role "@${role}" (system "${name}" has: ${
                Object.keys(roles)
                  .map((r) => `@${r}`)
                  .join(', ') || 'none'
              })`,
            );
          return answer(cluster);
        },
        invariants: Object.fromEntries(
          Object.entries(invariants).map(([key, make]) => [key, (given) => make(given, { cluster, options })]),
        ),
        baseLatency: shape.latency ?? DEFAULT_CLUSTER_LATENCY,
      };
    },
  });
}
