import { afterEach, describe, expect, it } from 'vitest';
import { createSelector } from '../selector/selector.js';
import { createService } from '../service/service.js';
import { type TestWorld, testWorld } from '../testing/world.js';
import { healthChecker } from './checker.js';
import { healthySelector } from './selector.js';
import { HEALTH_ENDPOINT, type HealthReply } from './types.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

/** A world with one live `greeter` node and one registered node whose address answers nothing. */
async function greeterWithAGhost() {
  const world = testWorld();
  worlds.push(world);
  const greeter = await world.serve('greeter', {
    Greeter: {
      Hello: () => ({ from: 'live' }),
      Boom: () => {
        throw new Error('x');
      },
    },
  });
  const live = greeter.server.registration!;
  await world.registry.register({
    ...live,
    nodes: [{ id: 'greeter-ghost', address: 'memory://nowhere', metadata: {} }],
  });
  const probe = world.service({ name: 'probe' });
  return { world, greeter, probe };
}

describe('health', () => {
  it('every service answers Health.Check with its identity and its recent calls', async () => {
    const { world, greeter, probe } = await greeterWithAGhost();
    const address = greeter.server.address!;
    await probe.client.call('greeter', 'Greeter.Hello', {}, { address });
    await probe.client.call('greeter', 'Greeter.Boom', {}, { address }).catch(() => {});
    await world.runtime.advance(5);
    const reply = await probe.client.call<HealthReply>('greeter', HEALTH_ENDPOINT, {}, { address });
    expect(reply).toMatchObject({ status: 'serving', service: 'greeter', version: 'latest', calls: 2, errors: 1 });
    expect(reply.node).toBe(greeter.server.registration?.nodes[0]?.id);
    expect(reply.recent.map((call) => [call.endpoint, call.error])).toEqual([
      ['Greeter.Hello', undefined],
      ['Greeter.Boom', 'INTERNAL'],
    ]);
    expect(greeter.server.registration?.endpoints.map((e) => e.name)).toContain(HEALTH_ENDPOINT);
  });

  it('a node failing `threshold` checks in a row is deregistered; the live one stays', async () => {
    const { world, probe } = await greeterWithAGhost();
    const checker = healthChecker({
      registry: world.registry,
      client: probe.client,
      runtime: world.runtime,
      threshold: 2,
    });
    await checker.check();
    const after1 = checker.status().find((s) => s.node.id === 'greeter-ghost')?.health;
    expect(after1).toMatchObject({ type: 'failing', failures: 1 });
    expect((await world.registry.getService('greeter'))[0]?.nodes).toHaveLength(2);
    await checker.check();
    expect(checker.isHealthy('greeter-ghost')).toBe(false);
    const nodes = (await world.registry.getService('greeter'))[0]?.nodes.map((n) => n.id);
    expect(nodes).toHaveLength(1);
    expect(nodes).not.toContain('greeter-ghost');
    expect(
      checker
        .status()
        .filter((s) => s.health.type === 'healthy')
        .map((s) => s.service)
        .sort(),
    ).toEqual(['greeter']);
  });

  it('the healthy selector skips an unhealthy node that is still registered', async () => {
    const { world } = await greeterWithAGhost();
    const plain = createSelector({ registry: world.registry, runtime: world.runtime, strategy: 'round-robin' });
    const prober = world.service({ name: 'prober' });
    const checker = healthChecker({
      registry: world.registry,
      client: prober.client,
      runtime: world.runtime,
      threshold: 1,
      deregister: false,
    });
    await checker.check();
    const skipping = healthySelector(plain, checker);
    const picked = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const selection = await skipping.select('greeter');
      picked.add(selection.node.id);
      selection.done(true);
    }
    expect(picked.has('greeter-ghost')).toBe(false);
    const caller = createService({
      name: 'caller',
      runtime: world.runtime,
      registry: world.registry,
      transport: world.transport,
      selector: skipping,
    });
    for (let i = 0; i < 3; i++)
      expect(await caller.client.call('greeter', 'Greeter.Hello', {}, { retries: 0 })).toEqual({ from: 'live' });
    skipping.close();
    await caller.stop();
  });

  it('checks on its interval on the runtime timers, and refuses a bad threshold by name', async () => {
    const { world, probe } = await greeterWithAGhost();
    const checker = healthChecker({
      registry: world.registry,
      client: probe.client,
      runtime: world.runtime,
      intervalMs: 100,
      threshold: 3,
    });
    checker.start();
    await world.runtime.advance(350);
    checker.stop();
    expect(checker.isHealthy('greeter-ghost')).toBe(false);
    expect(() =>
      healthChecker({ registry: world.registry, client: probe.client, runtime: world.runtime, threshold: 0 }),
    ).toThrow('threshold');
  });
});
