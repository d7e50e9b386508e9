import { createService, type MicroService, silentLogger } from '@microcosm-ts/core';
import {
  createSim,
  type NodeContext,
  type Sim,
  serveRegistry,
  simRegistry,
  simTransport,
} from '@microcosm-ts/core/sim';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeter, type Greeter, type HelloReply } from './greeter.js';

let sim: Sim | undefined;
afterEach(() => {
  sim?.dispose();
  sim = undefined;
});

/** The plugins a service on a sim node uses: that node's clock, network and the registry node. */
const simPlugins = (ctx: NodeContext) => ({
  runtime: ctx.runtime,
  registry: simRegistry(ctx),
  transport: simTransport(ctx),
  logger: silentLogger,
});

/**
 * A registry node, two greeter nodes and an `app` node that calls them; every link has 5 ms of
 * latency. The greeters are the very service of greeter.ts.
 */
async function greeterWorld(seed = 1) {
  const world = createSim({ seed });
  sim = world;
  world.net.latency('*', '*', { type: 'constant', ms: 5 });
  world.node('registry', (ctx) => {
    serveRegistry(ctx);
  });
  for (const name of ['greeter-1', 'greeter-2']) {
    world.node(name, async (ctx) => {
      await createGreeter({ ...simPlugins(ctx), server: { registerTtlMs: 3_000 } }).start();
    });
  }
  let app!: MicroService;
  world.node('app', (ctx) => {
    app = createService({ name: 'app', ...simPlugins(ctx), strategy: 'round-robin' });
  });
  await world.runFor(100); // boot, register
  const greeter = () => app.client.proxy<Greeter>('greeter', 'Greeter');
  const hello = (options = {}) => world.settle(greeter().Hello({ name: 'sim' }, { timeoutMs: 500, ...options }));
  return { sim: world, greeter, hello };
}

const node = (reply: HelloReply) => reply.from.split('/')[2];

describe('greeter, in the simulator', () => {
  it('answers across the simulated network, spread over both instances', async () => {
    const { hello } = await greeterWorld();
    const nodes = [];
    for (let i = 0; i < 4; i++) nodes.push(node(await hello()));
    expect(new Set(nodes)).toEqual(new Set(['greeter-1', 'greeter-2']));
  });

  it('hands the callee what is left of the deadline when the request leaves', async () => {
    const { sim, greeter } = await greeterWorld();
    const direct = { timeoutMs: 500, address: 'sim://greeter-1/transport.1' };
    // The first call spends 10 ms on the registry lookup and 10 ms on the dial before its request leaves.
    expect(await sim.settle(greeter().Budget({}, { timeoutMs: 500 }))).toBe(480);
    // On an open connection the whole budget leaves with the request; as with gRPC's relative
    // timeout, the 5 ms in flight are not subtracted (so the two clocks need not agree).
    await sim.settle(greeter().Budget({}, direct));
    expect(await sim.settle(greeter().Budget({}, direct))).toBe(500);
  });

  it('times out in virtual time when the caller is cut off from every instance', async () => {
    const { sim, hello } = await greeterWorld();
    sim.net.partition(['app'], ['greeter-1', 'greeter-2']);
    const started = sim.now;
    await expect(hello({ retries: 0 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(sim.now - started).toBeGreaterThanOrEqual(500);
    sim.net.heal();
    expect((await hello()).message).toBe('Hello, sim');
  });

  it('keeps answering through the other instance while one is partitioned away', async () => {
    const { sim, hello } = await greeterWorld();
    sim.net.partition(['app'], ['greeter-1']);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(node(await hello({ attemptTimeoutMs: 100, retries: 2 })));
    expect(answers.every((n) => n === 'greeter-2')).toBe(true);
  });

  it('fails over when an instance crashes, and uses it again after it restarts', async () => {
    const { sim, hello } = await greeterWorld();
    sim.crash('greeter-1');
    const during = [];
    for (let i = 0; i < 6; i++) during.push(node(await hello({ attemptTimeoutMs: 100, retries: 2 })));
    expect(during.every((n) => n === 'greeter-2')).toBe(true);
    sim.restart('greeter-1');
    await sim.runFor(10_000); // re-registered; the avoidance and any open circuit have expired
    const after = new Set<string | undefined>();
    for (let i = 0; i < 6; i++) after.add(node(await hello({ attemptTimeoutMs: 100, retries: 2 })));
    expect(after).toEqual(new Set(['greeter-1', 'greeter-2']));
  });

  it('replays identically from the same seed', async () => {
    const run = async () => {
      const { sim, hello } = await greeterWorld(7);
      sim.crash('greeter-2');
      for (let i = 0; i < 5; i++) await hello({ attemptTimeoutMs: 100, retries: 2 }).catch(() => undefined);
      const hash = sim.traceHash();
      sim.dispose();
      return hash;
    };
    expect(await run()).toBe(await run());
  });
});
