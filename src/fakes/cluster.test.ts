import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../micro/index.js';
import { createSimCluster, type SimCluster } from './cluster.js';

class Counter {
  #count = 0;
  async Add(request: { n: number }, _context: CallContext) {
    this.#count += request.n;
    return { count: this.#count };
  }
}

let cluster: SimCluster | undefined;
afterEach(() => {
  cluster?.dispose();
  cluster = undefined;
});

const counters = (seed = 1) =>
  createSimCluster({
    seed,
    services: { counter: { replicas: 2, setup: (service) => void service.handle('Counter', new Counter()) } },
  });

describe('createSimCluster', () => {
  it('starts replicas on named nodes and calls them from the client node', async () => {
    cluster = await counters();
    expect(cluster.replicas).toEqual({ counter: ['counter-1', 'counter-2'] });
    const reply = await cluster.client.call<{ count: number }>('counter', 'Counter.Add', { n: 2 });
    expect(reply.count).toBe(2);
  });

  it('fails over when one replica crashes, and boots a fresh service when it restarts', async () => {
    cluster = await counters();
    const before = cluster.service('counter-1');
    cluster.sim.crash('counter-1');
    for (let i = 0; i < 4; i++)
      await expect(
        cluster.client.call('counter', 'Counter.Add', { n: 1 }, { attemptTimeoutMs: 50 }),
      ).resolves.toBeTruthy();
    expect(() => cluster?.service('counter-1')).toThrow(/no live service/);
    cluster.sim.restart('counter-1');
    await cluster.advance(50);
    expect(cluster.service('counter-1')).not.toBe(before);
  });

  it('gives the client node a store and locks on infrastructure nodes that partitions can cut off', async () => {
    cluster = await counters();
    const bytes = new TextEncoder().encode('v');
    await cluster.store.write({ key: 'k', value: bytes });
    expect((await cluster.store.read('k'))?.value).toEqual(bytes);
    cluster.sim.net.partition(['client'], ['store']);
    await expect(cluster.store.read('k')).rejects.toMatchObject({ code: 'TIMEOUT' });
    const lock = await cluster.sync.lock('job', { ttlMs: 1_000 });
    expect(lock.type).toBe('acquired');
  });

  it('delivers a published message to one member of a queue group, and not across a partition', async () => {
    const seen: string[] = [];
    cluster = await createSimCluster({
      seed: 2,
      services: {
        notify: {
          replicas: 2,
          setup: (service, ctx) =>
            void service.subscribe<{ order: string }>(
              'orders',
              (message) => void seen.push(`${ctx?.name}:${message.order}`),
              {
                queue: 'notify',
              },
            ),
        },
      },
    });
    await cluster.client.publish('orders', { order: 'A' });
    await cluster.advance(20);
    expect(seen).toHaveLength(1);
    cluster.sim.net.partition(['broker'], ['notify-1', 'notify-2']);
    await cluster.client.publish('orders', { order: 'B' });
    await cluster.advance(20);
    expect(seen).toHaveLength(1);
  });

  it('replays: the same seed gives the same trace', async () => {
    const run = async (seed: number) => {
      const c = await counters(seed);
      try {
        for (let i = 0; i < 5; i++) await c.client.call('counter', 'Counter.Add', { n: i });
        return c.sim.traceHash();
      } finally {
        c.dispose();
      }
    };
    expect(await run(7)).toBe(await run(7));
    expect(await run(7)).not.toBe(await run(8));
  });

  it('names a bad replica count', async () => {
    await expect(createSimCluster({ seed: 1, services: { x: { replicas: 0 } } })).rejects.toThrow(
      /services\.x\.replicas/,
    );
  });
});
