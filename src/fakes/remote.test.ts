import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError, notFound } from '../micro/errors.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { connect, type RemoteClient, serve } from './remote.js';

let sim: Sim;
afterEach(() => sim?.dispose());

/** A counter hosted on node `infra`, and a client node `app` connected to it. */
async function counterWorld(seed = 1) {
  sim = createSim({ seed });
  let count = 0;
  sim.node('infra', (ctx) => {
    serve(ctx, 'counter', {
      add: ([n]) => (count += n as number),
      fail: () => {
        throw notFound('no such counter');
      },
      crash: () => {
        throw new TypeError('secret internals');
      },
    });
  });
  let client!: RemoteClient;
  let app!: NodeContext;
  sim.node('app', (ctx) => {
    app = ctx;
    client = connect(ctx, 'infra', 'counter', { timeoutMs: 500 });
  });
  await sim.runFor(0); // boot both nodes
  return { sim, client: () => client, app: () => app, count: () => count };
}

describe('remote', () => {
  it('answers a call across the simulated network', async () => {
    const world = await counterWorld();
    expect(await sim.settle(world.client().call('add', 5))).toBe(5);
    expect(await sim.settle(world.client().call('add', 2))).toBe(7);
  });

  it('brings a thrown MicroError back typed, and hides anything else behind INTERNAL', async () => {
    const world = await counterWorld();
    const typed = await sim.settle(world.client().call('fail')).catch((e: unknown) => e);
    expect(isMicroError(typed) && typed.code).toBe('NOT_FOUND');
    const hidden = await sim.settle(world.client().call('crash')).catch((e: unknown) => e);
    expect(isMicroError(hidden) && [hidden.code, hidden.detail]).toEqual(['INTERNAL', 'internal error']);
    const unknown = await sim.settle(world.client().call('nope')).catch((e: unknown) => e);
    expect(isMicroError(unknown) && unknown.code).toBe('BAD_REQUEST');
  });

  it('times out in virtual time across a partition, and the operation may still have happened', async () => {
    const world = await counterWorld();
    sim.net.partitionOneWay(['infra'], ['app']); // requests arrive, replies are lost
    const started = sim.now;
    const error = await sim.settle(world.client().call('add', 1)).catch((e: unknown) => e);
    expect(isMicroError(error) && [error.code, error.retryable]).toEqual(['TIMEOUT', true]);
    expect(sim.now - started).toBeGreaterThanOrEqual(500);
    expect(world.count()).toBe(1);
  });

  it('times out when the host is down, and recovers after it restarts', async () => {
    const world = await counterWorld();
    sim.crash('infra');
    const error = await sim.settle(world.client().call('add', 1)).catch((e: unknown) => e);
    expect(isMicroError(error) && error.code).toBe('TIMEOUT');
    sim.restart('infra');
    expect(await sim.settle(world.client().call('add', 3))).toBe(3);
  });

  it('ignores duplicated replies', async () => {
    const world = await counterWorld();
    sim.net.duplicate('*', '*', 1);
    expect(await sim.settle(world.client().call('add', 1))).toBe(1);
    await sim.runFor(100);
    expect(world.count()).toBe(2); // the request itself was duplicated: at-least-once, as on a real wire
  });

  it('copies arguments at the boundary', async () => {
    sim = createSim({ seed: 3 });
    const seen: unknown[] = [];
    sim.node('infra', (ctx) => {
      serve(ctx, 'p', { keep: ([value]) => void seen.push(value) });
    });
    const argument = { n: 1 };
    await sim.exec('infra', () => undefined);
    sim.node('app', () => undefined);
    await sim.settle(sim.exec('app', (ctx) => connect(ctx, 'infra', 'p').call('keep', argument)));
    argument.n = 2;
    expect(seen).toEqual([{ n: 1 }]);
  });

  it("hands each delivery of a duplicated request its own arguments, and keeps the host's state from the caller", async () => {
    sim = createSim({ seed: 3 });
    const seen: unknown[] = [];
    const state = { list: [1] };
    sim.node('infra', (ctx) => {
      serve(ctx, 'p', {
        mutate: ([value]) => {
          seen.push(structuredClone(value));
          (value as { n: number }).n++;
        },
        state: () => state,
        later: async () => state,
      });
    });
    sim.node('app', () => undefined);
    await sim.runFor(0);
    sim.net.duplicate('app', 'infra', 1);
    await sim.settle(sim.exec('app', (ctx) => connect(ctx, 'infra', 'p').call('mutate', { n: 1 })));
    await sim.runFor(100);
    expect(seen).toEqual([{ n: 1 }, { n: 1 }]);
    sim.net.heal();
    for (const method of ['state', 'later']) {
      const got = await sim.settle(
        sim.exec('app', (ctx) => connect(ctx, 'infra', 'p').call<{ list: number[] }>(method)),
      );
      got.list.push(2);
      expect(state).toEqual({ list: [1] });
    }
  });
});
