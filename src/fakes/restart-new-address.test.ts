import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../micro/index.js';
import { isMicroError } from '../micro/errors.js';
import type { Connection } from '../micro/transport/types.js';
import { createSim } from '../sim/index.js';
import { createSimCluster, type SimCluster } from './cluster.js';
import { simTransport } from './transport.js';

class Greeter {
  async Hello(request: { name: string }, _context: CallContext) {
    return { message: `hello ${request.name}` };
  }
}

let cluster: SimCluster | undefined;
afterEach(() => {
  cluster?.dispose();
  cluster = undefined;
});

/** One greeter whose registration lives 2 s unless renewed, so a stale entry goes within the test. */
const greeterCluster = () =>
  createSimCluster({
    seed: 1,
    infrastructure: [],
    services: {
      greeter: {
        setup: (service) => void service.handle('Greeter', new Greeter()),
        options: { server: { registerTtlMs: 2_000 } },
      },
    },
  });

async function registeredAddresses(c: SimCluster): Promise<string[]> {
  const services = await c.settle(c.inside.registry.getService('greeter'));
  return services.flatMap((s) => s.nodes.map((n) => n.address)).sort();
}

async function dialError(c: SimCluster, address: string): Promise<unknown> {
  return c.settle(
    c.inside.transport.dial(address).then(
      (connection) => {
        connection.close();
        return undefined;
      },
      (error: unknown) => error,
    ),
  );
}

describe('restart onto a new address', () => {
  it('serves on the new address only; the registry moves to it and calls succeed once the stale entry is gone', async () => {
    cluster = await greeterCluster();
    const old = cluster.service('greeter-1').server.address;
    expect(old).toBe('sim://greeter-1/transport.1');
    // The client's pool now holds a connection to the old address.
    await cluster.client.call('greeter', 'Greeter.Hello', { name: 'before' });

    cluster.sim.restart('greeter-1', { newAddress: true });
    await cluster.advance(50);
    const moved = cluster.service('greeter-1').server.address;
    expect(moved).toBe('sim://greeter-1/transport.1~1');
    expect(cluster.sim.getNode('greeter-1').addressEpoch).toBe(1);

    // The trace says what happened: a restart onto a new address, and which address it left for which.
    const restart = cluster.sim.trace.find((e) => e.type === 'restart');
    expect(restart).toMatchObject({ node: 'greeter-1', incarnation: 2, newAddress: true });
    expect(cluster.sim.trace.find((e) => e.type === 'new-address')).toMatchObject({
      node: 'greeter-1',
      from: old,
      to: moved,
    });

    // The old address is dead: a dial is refused at once (retryable UNAVAILABLE); the new one answers.
    const refused = await dialError(cluster, old as string);
    expect(isMicroError(refused) && refused.code).toBe('UNAVAILABLE');
    expect(isMicroError(refused) && refused.retryable).toBe(true);
    expect(String((refused as Error).message)).toMatch(/greeter-1\/transport\.1 is gone/);
    expect(await dialError(cluster, moved as string)).toBeUndefined();

    // The window: the registry still holds the crashed incarnation's entry beside the new one …
    expect(await registeredAddresses(cluster)).toEqual([old, moved].sort());
    // … a call retries past the stale address …
    await expect(cluster.client.call('greeter', 'Greeter.Hello', { name: 'ada' })).resolves.toEqual({
      message: 'hello ada',
    });
    // … and once its TTL runs out only the new address is left, so even calls without retries succeed.
    await cluster.advance(2_500);
    expect(await registeredAddresses(cluster)).toEqual([moved]);
    for (let i = 0; i < 5; i++)
      await expect(cluster.client.call('greeter', 'Greeter.Hello', { name: `${i}` }, { retries: 0 })).resolves.toEqual({
        message: `hello ${i}`,
      });
  });

  it('keeps the address on a plain restart', async () => {
    cluster = await greeterCluster();
    const old = cluster.service('greeter-1').server.address;
    cluster.sim.restart('greeter-1');
    await cluster.advance(50);
    expect(cluster.service('greeter-1').server.address).toBe(old);
    expect(cluster.sim.trace.find((e) => e.type === 'restart')).not.toHaveProperty('newAddress');
    expect(cluster.sim.trace.some((e) => e.type === 'new-address')).toBe(false);
  });

  it('moves again on each restart onto a new address, and every earlier address stays dead', async () => {
    cluster = await greeterCluster();
    const first = cluster.service('greeter-1').server.address as string;
    cluster.sim.restart('greeter-1', { newAddress: true });
    await cluster.advance(50);
    const second = cluster.service('greeter-1').server.address as string;
    cluster.sim.restart('greeter-1', { newAddress: true });
    await cluster.advance(50);
    expect(cluster.service('greeter-1').server.address).toBe('sim://greeter-1/transport.1~2');
    for (const stale of [first, second]) expect(await dialError(cluster, stale)).toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('the sim transport after a move', () => {
  it('closes a peer’s connection that still sends to the old address of a dialer that moved', async () => {
    const sim = createSim({ seed: 1 });
    sim.net.latency('*', '*', { type: 'constant', ms: 1 });
    let accepted: Connection | undefined;
    let listening: Promise<unknown> | undefined;
    sim.node('b', (ctx) => {
      listening = simTransport(ctx).listen('', (c) => (accepted = c));
    });
    sim.node('a', (ctx) => void simTransport(ctx).dial('sim://b/transport.1'));
    await sim.runFor(10);
    await listening;
    const connection = accepted as Connection;
    expect(connection.remote).toBe('sim://a/transport.1');
    let closedWith: Error | undefined;
    connection.onClose((reason) => (closedWith = reason));

    sim.restart('a', { newAddress: true });
    await sim.runFor(1);
    connection.send({ header: {}, body: new Uint8Array(0) });
    await sim.runFor(10);
    expect(connection.closed).toBe(true);
    expect(closedWith?.message).toMatch(/sim:\/\/a\/transport\.1 is gone/);
    sim.dispose();
  });
});
