/** The events fake under faults: a crashed consumer's records go back to its group; streams replay. */
import { afterEach, describe, expect, it } from 'vitest';
import { idempotentPublisher } from '../micro/events/idempotent.js';
import type { EventMessage } from '../micro/events/types.js';
import { createSim, type Sim } from '../sim/index.js';
import { DEFAULT_CONSUMER_LEASE_MS, eventsClient, hostEvents } from './events.js';

let sim: Sim;
afterEach(() => sim?.dispose());

const bytes = (text: string) => new TextEncoder().encode(text);

/** An events node, two consumers of group `billing` on their own nodes, and a publisher. */
async function world(ackOn: (node: string) => boolean) {
  sim = createSim({ seed: 9 });
  hostEvents(sim);
  const seen: { node: string; message: EventMessage }[] = [];
  for (const node of ['billing-1', 'billing-2'])
    sim.node(node, async (ctx) => {
      const consumer = await eventsClient(ctx).consume('orders', { group: 'billing', ackDeadlineMs: 60_000 });
      for (let m = await consumer.next(); m; m = await consumer.next()) {
        seen.push({ node, message: m });
        if (ackOn(node)) await m.ack();
      }
    });
  sim.node('orders-1', () => {});
  await sim.runFor(10);
  const publish = (body: string) => sim.exec('orders-1', (ctx) => eventsClient(ctx).publish('orders', bytes(body)));
  return { seen, publish };
}

describe('events fake: faults', () => {
  it('a consumer that crashes holding unacked records: the group hands them to the other consumer', async () => {
    const { seen, publish } = await world((node) => node === 'billing-2');
    for (let i = 1; i <= 4; i++) await publish(`order ${i}`);
    await sim.runFor(10);
    const held = seen.filter((s) => s.node === 'billing-1').map((s) => s.message.offset);
    expect(held.length).toBeGreaterThan(0);
    sim.crash('billing-1');
    await sim.runFor(DEFAULT_CONSUMER_LEASE_MS + 100);
    const retaken = seen
      .filter((s) => s.node === 'billing-2' && s.message.deliveries === 2)
      .map((s) => s.message.offset);
    expect(retaken).toEqual(held);
    expect(sim.trace.some((e) => e.type === 'events.consumer-expired')).toBe(true);
  });

  it('records stay readable from the start after every consumer is gone', async () => {
    const { publish } = await world(() => true);
    for (let i = 1; i <= 3; i++) await publish(`order ${i}`);
    sim.crash('billing-1');
    sim.crash('billing-2');
    await sim.runFor(DEFAULT_CONSUMER_LEASE_MS + 100);
    const records = await sim.exec('orders-1', (ctx) => eventsClient(ctx).read('orders'));
    expect(records.map((r) => r.offset)).toEqual([1, 2, 3]);
  });

  it('the trace carries publish, deliver and ack with stream and offset', async () => {
    const { publish } = await world(() => true);
    const { offset } = await publish('traced');
    await sim.runFor(10);
    const types = sim.trace
      .filter((e) => e.type.startsWith('events.') && (e as { offset?: number }).offset === offset)
      .map((e) => e.type);
    expect(types).toEqual(['events.publish', 'events.deliver', 'events.ack']);
  });

  it('a publish whose reply is lost: an idempotent producer retries it and the stream holds it once', async () => {
    await world(() => true);
    // Requests reach the events node, its replies to orders-1 are lost for half a second.
    sim.net.partitionOneWay(['events'], ['orders-1']);
    const published = await sim.exec('orders-1', (ctx) => {
      ctx.runtime.timers.setTimeout(() => sim.net.heal(), 500);
      return idempotentPublisher(eventsClient(ctx), { producer: 'orders-1', runtime: ctx.runtime }).publish(
        'orders',
        bytes('placed'),
      );
    });
    await sim.runFor(100);
    const records = await sim.exec('orders-1', (ctx) => eventsClient(ctx).read('orders'));
    expect([published.offset, published.duplicate]).toEqual([1, true]);
    expect(records.map((r) => r.id)).toEqual([published.id]);
    const handedOut = sim.trace
      .filter((e) => e.type === 'events.deliver')
      .map((e) => (e as { offset?: number }).offset);
    expect(handedOut).toEqual([1]);
  });

  it('a publish request the network duplicates appends twice without a dedup key, once with one', async () => {
    await world(() => true);
    sim.net.duplicate('orders-1', 'events', 1);
    const publishTo = (stream: string, dedup?: { producer: string; sequence: number }) =>
      sim.exec('orders-1', (ctx) => eventsClient(ctx).publish(stream, bytes('placed'), dedup ? { dedup } : {}));
    await publishTo('plain');
    await publishTo('keyed', { producer: 'orders-1', sequence: 1 });
    await sim.runFor(10);
    const count = (stream: string) =>
      sim.exec('orders-1', async (ctx) => (await eventsClient(ctx).read(stream)).length);
    expect([await count('plain'), await count('keyed')]).toEqual([2, 1]);
  });

  it('published records survive a crash and restart of the events node', async () => {
    const { publish } = await world(() => true);
    for (let i = 1; i <= 3; i++) await publish(`order ${i}`);
    sim.crash('events');
    sim.restart('events');
    await sim.runFor(1);
    const { offset } = await publish('after restart');
    const records = await sim.exec('orders-1', (ctx) => eventsClient(ctx).read('orders'));
    expect(offset).toBe(4);
    expect(records.map((r) => new TextDecoder().decode(r.body))).toEqual([
      'order 1',
      'order 2',
      'order 3',
      'after restart',
    ]);
  });
});

describe('events fake: durability across a restart of the events node', () => {
  it('a group resumes after its last ack: unacked records come again, acked ones never', async () => {
    // The group's consumers ack offsets 1 and 2 and hold 3 and 4 unacked when the events node crashes.
    const { seen, publish } = await world(() => false);
    for (let i = 1; i <= 4; i++) await publish(`order ${i}`);
    await sim.runFor(10);
    for (const { message } of seen) if (message.offset <= 2) void message.ack();
    await sim.runFor(10);
    expect(sim.trace.filter((e) => e.type === 'events.ack').map((e) => (e as { offset?: number }).offset)).toEqual([
      1, 2,
    ]);
    expect(seen.map((s) => [s.message.offset, s.message.deliveries]).sort()).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);

    sim.crash('events');
    sim.restart('events');
    // The consumers' heartbeats find them unknown and they consume again: the group is restored.
    await sim.runFor(2 * DEFAULT_CONSUMER_LEASE_MS);
    await publish('order 5');
    await sim.runFor(10);

    const after = seen.slice(4).map((s) => [s.message.offset, s.message.deliveries]);
    expect(after.sort()).toEqual([
      [3, 2],
      [4, 2],
      [5, 1],
    ]);
  });

  it('a record held at the restart that has used up maxDeliveries is dead-lettered, not handed out again', async () => {
    sim = createSim({ seed: 9 });
    hostEvents(sim);
    const seen: EventMessage[] = [];
    sim.node('billing-1', async (ctx) => {
      const events = eventsClient(ctx);
      const consumer = await events.consume('orders', {
        group: 'billing',
        maxDeliveries: 1,
        deadLetter: 'orders.dead',
      });
      for (let m = await consumer.next(); m; m = await consumer.next()) seen.push(m); // never acks
    });
    sim.node('orders-1', () => {});
    await sim.runFor(10);
    await sim.exec('orders-1', (ctx) => eventsClient(ctx).publish('orders', bytes('poison')));
    await sim.runFor(10);
    expect(seen.map((m) => [m.offset, m.deliveries])).toEqual([[1, 1]]);

    sim.crash('events');
    sim.restart('events');
    await sim.runFor(2 * DEFAULT_CONSUMER_LEASE_MS);
    const dead = await sim.exec('orders-1', (ctx) => eventsClient(ctx).read('orders.dead'));
    expect(seen).toHaveLength(1);
    expect(dead.map((r) => r.headers['x-dead-letter-offset'])).toEqual(['1']);
  });

  it('a dedup key published before the restart is still a duplicate after it', async () => {
    await world(() => true);
    const dedup = { producer: 'orders-1', sequence: 1 };
    const publishKeyed = () =>
      sim.exec('orders-1', (ctx) => eventsClient(ctx).publish('orders', bytes('placed'), { dedup }));
    const first = await publishKeyed();
    sim.crash('events');
    sim.restart('events');
    await sim.runFor(1);
    const retry = await publishKeyed();
    expect([first.duplicate, retry.duplicate, retry.offset, retry.id]).toEqual([false, true, first.offset, first.id]);
    const records = await sim.exec('orders-1', (ctx) => eventsClient(ctx).read('orders'));
    expect(records).toHaveLength(1);
  });
});
