import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../runtime.js';
import { type TestWorld, testWorld } from '../testing/world.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

function newWorld(): TestWorld {
  const world = testWorld();
  worlds.push(world);
  return world;
}

describe('server', () => {
  it('turns every method of a handler object into an endpoint and registers them', async () => {
    const world = newWorld();
    class Base {
      Ping() {
        return 'pong';
      }
    }
    class Greeter extends Base {
      Hello() {
        return 'hi';
      }
    }
    const server = await world.serve('greeter', { Greeter: new Greeter() });
    const [entry] = await world.registry.getService('greeter');
    expect(entry?.endpoints.map((e) => e.name)).toEqual(['Greeter.Hello', 'Greeter.Ping', 'Health.Check']);
    expect(entry?.nodes.map((n) => n.address)).toEqual([server.server.address]);
    expect(() => world.service({ name: 'x' }).handle('Bad Name', new Greeter())).toThrow(/bad handler name 'Bad Name'/);
  });

  it('re-registers on an interval so its entry outlives the TTL, and deregisters on stop', async () => {
    const world = newWorld();
    const server = await world.serve('greeter', { G: { Hi: () => 'hi' } }, { server: { registerTtlMs: 300 } });
    await world.runtime.advance(2_000);
    expect(await world.registry.getService('greeter')).toHaveLength(1);
    await server.stop();
    expect(await world.registry.getService('greeter')).toEqual([]);
  });

  it('drains on stop: refuses new calls, finishes the ones in flight, then closes', async () => {
    const world = newWorld();
    const slow = { Work: async () => sleep(world.runtime, 500).then(() => 'finished') };
    const server = await world.serve('slow', { Slow: slow });
    const address = server.server.address!;
    const client = world.service({ name: 'caller' }).client;
    const inFlight = client.call('slow', 'Slow.Work', {}, { timeoutMs: 10_000 });
    await world.runtime.flush();
    let stopped = false;
    const stopping = server.stop().then(() => {
      stopped = true;
    });
    await world.runtime.flush();
    expect(await world.registry.getService('slow')).toEqual([]); // deregistered first
    await expect(client.call('slow', 'Slow.Work', {}, { address, retries: 0 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      detail: 'slow is shutting down',
    });
    expect(stopped).toBe(false);
    await world.runtime.advance(500);
    expect(await inFlight).toBe('finished');
    await stopping;
    expect(server.server.inFlight).toBe(0);
  });

  it('cancels calls still running when the drain timeout passes', async () => {
    const world = newWorld();
    const stuck = { Work: async () => sleep(world.runtime, 60_000).then(() => 'never') };
    const server = await world.serve('stuck', { Stuck: stuck }, { server: { drainTimeoutMs: 1_000 } });
    const client = world.service({ name: 'caller' }).client;
    const inFlight = client
      .call('stuck', 'Stuck.Work', {}, { timeoutMs: 120_000, retries: 0 })
      .catch((e: unknown) => e);
    await world.runtime.flush();
    const stopping = server.stop();
    await world.runtime.advance(1_000);
    await stopping;
    expect(await inFlight).toMatchObject({ code: 'UNAVAILABLE', detail: 'stuck stopped before the call finished' });
  });
});
