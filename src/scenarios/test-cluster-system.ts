/**
 * A two-service system for the tests of clusterSystem: `front` forwards `add` to `counter`, which
 * answers with its running total. With `durable: false` the counter keeps the total in memory, so
 * a crash resets it and the `totals-only-grow` invariant sees a total go down; with
 * `durable: true` it keeps the total in the store node and survives.
 */
import type { CallContext, Client } from '../micro/index.js';
import type { Store } from '../micro/store/types.js';
import { clusterSystem } from './cluster-system.js';

class Counter {
  #memory = 0;
  constructor(private readonly store: Store | undefined) {}

  async Add(request: { n: number }, _context: CallContext): Promise<{ total: number }> {
    const store = this.store;
    if (store === undefined) return { total: (this.#memory += request.n) };
    const current = await store.read('total');
    const total = (current ? Number(new TextDecoder().decode(current.value)) : 0) + request.n;
    await store.write({ key: 'total', value: new TextEncoder().encode(String(total)) });
    return { total };
  }
}

class Front {
  constructor(private readonly client: Client) {}
  Add(request: { n: number }, context: CallContext): Promise<{ total: number }> {
    return this.client.call('counter', 'Counter.Add', request, { context, timeoutMs: 200 });
  }
}

export const counterCluster = clusterSystem<{ durable: boolean }>({
  name: 'counter cluster',
  parseOptions: (raw) => ({ durable: (raw as { durable?: unknown } | undefined)?.durable === true }),
  infrastructure: ['store'],
  services: ({ durable }) => ({
    counter: (service) => void service.handle('Counter', new Counter(durable ? service.store : undefined)),
    front: { replicas: 2, setup: (service) => void service.handle('Front', new Front(service.client)) },
  }),
  operations: {
    add: ({ client }) => client.call('front', 'Front.Add', { n: 1 }, { timeoutMs: 500, retries: 0 }),
  },
  invariants: {
    'totals-only-grow': () => ({
      name: 'totals-only-grow',
      check({ history }) {
        let highest = 0;
        const findings = [];
        for (const event of history) {
          if (event.type !== 'ok') continue;
          const { total } = event.value as { total: number };
          if (total < highest)
            findings.push({ message: `a total went down from ${highest} to ${total}`, node: 'counter-1' });
          highest = Math.max(highest, total);
        }
        return findings;
      },
    }),
  },
});
