import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryRegistry } from '../micro/registry/memory.js';
import type { Registry, RegistryEvent, Service } from '../micro/registry/types.js';
import { createSim, type Sim } from '../sim/index.js';
import { serveRegistry, simRegistry } from './registry.js';

let sim: Sim | undefined;
afterEach(() => {
  sim?.dispose();
  sim = undefined;
});

const greeter = (id: string): Service => ({
  name: 'greeter',
  version: '1',
  metadata: {},
  endpoints: [],
  nodes: [{ id, address: `sim://${id}/transport.1`, metadata: {} }],
});

/** A registry node and two client nodes, `a` and `b`, each with a registry client. */
async function registryWorld() {
  const world = createSim({ seed: 3 });
  sim = world;
  world.net.latency('*', '*', { type: 'constant', ms: 5 });
  let hosted!: MemoryRegistry;
  world.node('registry', (ctx) => {
    hosted = serveRegistry(ctx);
  });
  const clients: Record<string, Registry> = {};
  for (const name of ['a', 'b']) {
    world.node(name, (ctx) => {
      clients[name] = simRegistry(ctx, { timeoutMs: 300 });
    });
  }
  await world.runFor(0);
  return { sim: world, a: clients.a!, b: clients.b!, hosted: () => hosted };
}

describe('sim registry', () => {
  it('lets one node register and another find it, through the registry node', async () => {
    const { sim, a, b } = await registryWorld();
    await sim.settle(a.register(greeter('a-1'), { ttlMs: 1_000 }));
    const found = await sim.settle(b.getService('greeter'));
    expect(found.map((s) => s.nodes.map((n) => n.id))).toEqual([['a-1']]);
    expect((await sim.settle(b.listServices())).map((s) => s.name)).toEqual(['greeter']);
  });

  it('expires a registration in virtual time once its node stops refreshing it', async () => {
    const { sim, a, hosted } = await registryWorld();
    await sim.settle(a.register(greeter('a-1'), { ttlMs: 1_000 })); // arrived 5 ms ago, acknowledged now
    await sim.runFor(990);
    expect(await hosted().getService('greeter')).toHaveLength(1);
    await sim.runFor(10);
    expect(await hosted().getService('greeter')).toEqual([]);
  });

  it('streams watch events to another node', async () => {
    const { sim, a, b } = await registryWorld();
    const events: string[] = [];
    const abort = new AbortController();
    void (async () => {
      for await (const event of b.watch({ service: 'greeter', signal: abort.signal })) events.push(show(event));
    })();
    await sim.runFor(20);
    await sim.settle(a.register(greeter('a-1')));
    await sim.settle(a.deregister(greeter('a-1')));
    await sim.runFor(20);
    abort.abort();
    expect(events).toEqual(['create a-1', 'delete a-1']);
  });

  it('times out in virtual time when partitioned from the registry node', async () => {
    const { sim, a } = await registryWorld();
    sim.net.partition(['a'], ['registry']);
    const started = sim.now;
    await expect(sim.settle(a.getService('greeter'))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(sim.now - started).toBe(300);
  });
});

function show(event: RegistryEvent): string {
  return `${event.type} ${event.service.nodes.map((n) => n.id).join(',')}`;
}
