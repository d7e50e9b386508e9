import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, Frame, Transport } from '../micro/transport/types.js';
import { createSim, type Sim } from '../sim/index.js';
import { simTransport } from './transport.js';

let sim: Sim | undefined;
afterEach(() => {
  sim?.dispose();
  sim = undefined;
});

const frame = (n: number, bytes = 0): Frame => ({ header: { n: String(n) }, body: new Uint8Array(bytes) });

/** Node `server` listens and records every frame it receives; node `client` has a transport to dial with. */
async function twoNodes(seed = 1) {
  const world = createSim({ seed });
  sim = world;
  world.net.latency('*', '*', { type: 'constant', ms: 10 });
  const received: string[] = [];
  const closes: string[] = [];
  let address = '';
  world.node('server', async (ctx) => {
    const listener = await simTransport(ctx).listen('', (connection) => {
      connection.onFrame((f) => received.push(`${ctx.incarnation}:${f.header.n}`));
    });
    address = listener.address;
  });
  let client!: Transport;
  world.node('client', (ctx) => {
    client = simTransport(ctx, { connectTimeoutMs: 200 });
  });
  await world.runFor(0);
  const dial = async (): Promise<Connection> => {
    const connection = await world.settle(client.dial(address));
    connection.onClose((reason) => closes.push(reason?.message ?? 'closed'));
    return connection;
  };
  return { sim: world, address: () => address, dial, client: () => client, received, closes };
}

describe('sim transport', () => {
  it('delivers frames in order, once each, even when the network duplicates them', async () => {
    const world = await twoNodes();
    world.sim.net.duplicate('client', 'server', 1);
    const connection = await world.dial();
    for (let i = 1; i <= 5; i++) connection.send(frame(i));
    await world.sim.runFor(50);
    expect(world.received).toEqual(['1:1', '1:2', '1:3', '1:4', '1:5']);
  });

  it('charges frames their size against the link bandwidth', async () => {
    const world = await twoNodes();
    world.sim.net.bandwidth('client', 'server', 10_000); // 10 kB/s
    const connection = await world.dial();
    const sentAt = world.sim.now;
    connection.send(frame(1, 20_000)); // 20 kB: about two seconds on the wire
    await world.sim.runUntil(() => world.received.length === 1, { limitMs: 10_000 });
    expect(world.sim.now - sentAt).toBeGreaterThanOrEqual(2_000);
  });

  it('refuses a dial nobody listens on, and times one out across a partition, in virtual time', async () => {
    const world = await twoNodes();
    await expect(world.sim.settle(world.client().dial('sim://server/transport.9'))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    world.sim.net.partition(['client'], ['server']);
    const started = world.sim.now;
    await expect(world.sim.settle(world.client().dial(world.address()))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      detail: expect.stringMatching(/no answer within 200 ms/),
    });
    expect(world.sim.now - started).toBe(200);
  });

  it('resets a connection the peer forgot in a crash, once the peer is back', async () => {
    const world = await twoNodes();
    const connection = await world.dial();
    connection.send(frame(1));
    await world.sim.runFor(50);
    world.sim.crash('server');
    connection.send(frame(2)); // into the void: a dead node says nothing
    await world.sim.runFor(50);
    expect(world.closes).toEqual([]);
    world.sim.restart('server');
    await world.sim.runFor(50);
    connection.send(frame(3));
    await world.sim.runFor(50);
    expect(world.received).toEqual(['1:1']);
    expect(world.closes).toEqual(['connection reset by server: unknown connection']);
    expect(connection.closed).toBe(true);
  });

  it('closes both ends when one side closes', async () => {
    const world = await twoNodes();
    const connection = await world.dial();
    connection.close(new Error('done here'));
    await world.sim.runFor(50);
    expect(connection.closed).toBe(true);
    expect(() => connection.send(frame(1))).toThrow(/closed/);
  });
});
