/**
 * A planted bug that only churn reveals: a client that caches a service's address forever.
 * `greeter` has two replicas (registrations live 3 s unless renewed); the workload's `hello` calls
 * it from the client node. With `pinAddress: true` the client looks `greeter` up in the registry
 * on its first call and pins every later call to that address (a selector filter). A crash or a
 * plain restart keeps the address, so the pin survives them; a restart onto a new address
 * (`restart greeter-1 --new-address`, the nemesis's `churn`) leaves it pointing at a dead address,
 * and every call fails from then on. Without the pin the selector moves on: a stale entry costs a
 * refused attempt and a retry until its TTL runs out.
 */
import type { SimCluster } from '../fakes/cluster.js';
import type { CallContext } from '../micro/index.js';
import { clusterSystem } from './cluster-system.js';

export interface ChurnSystemOptions {
  /** The planted bug: resolve greeter's address once and keep it. Default: false. */
  readonly pinAddress: boolean;
}

class Greeter {
  async Hello(request: { name: string }, _context: CallContext): Promise<{ message: string }> {
    return { message: `hello ${request.name}` };
  }
}

/** The pinned address per run (each run builds its own cluster). */
const pins = new WeakMap<SimCluster, string>();

async function pinnedAddress(cluster: SimCluster): Promise<string | undefined> {
  const known = pins.get(cluster);
  if (known !== undefined) return known;
  const [service] = await cluster.inside.registry.getService('greeter');
  const address = service?.nodes[0]?.address;
  if (address !== undefined) pins.set(cluster, address);
  return address;
}

export const churnSystem = clusterSystem<ChurnSystemOptions>({
  name: 'churn',
  parseOptions(raw) {
    const given = (raw ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given))
      if (key !== 'pinAddress') throw new Error(`unknown option "${key}" (expected: pinAddress)`);
    if (given.pinAddress !== undefined && typeof given.pinAddress !== 'boolean')
      throw new Error('pinAddress: expected a boolean');
    return { pinAddress: given.pinAddress === true };
  },
  infrastructure: [],
  services: {
    greeter: {
      replicas: 2,
      setup: (service) => void service.handle('Greeter', new Greeter()),
      options: { server: { registerTtlMs: 3_000 } },
    },
  },
  operations: {
    async hello({ client, op, cluster, options }) {
      const request = { name: op.key };
      if (!options.pinAddress) return client.call('greeter', 'Greeter.Hello', request, { timeoutMs: 500 });
      const pinned = await pinnedAddress(cluster);
      return client.call('greeter', 'Greeter.Hello', request, {
        timeoutMs: 500,
        filters: [(_service, node) => node.address === pinned],
      });
    },
  },
});
