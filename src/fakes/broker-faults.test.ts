/** The broker fake under faults: crashes and partitions hurt exactly as they would in production. */
import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError } from '../micro/errors.js';
import { createSim, type Sim } from '../sim/index.js';
import { brokerClient, DEFAULT_SUBSCRIBER_LEASE_MS, hostBroker } from './broker.js';

let sim: Sim;
afterEach(() => sim?.dispose());

const bytes = (text: string) => new TextEncoder().encode(text);

/** A broker, two workers in queue group `workers` (at-least-once), and a publisher `orders-1`. */
async function shop(workerHandles: (node: string) => 'ack' | 'hang') {
  sim = createSim({ seed: 5 });
  hostBroker(sim);
  const handled: { node: string; id: string; redelivered: boolean }[] = [];
  for (const node of ['worker-1', 'worker-2'])
    sim.node(node, async (ctx) => {
      await brokerClient(ctx).subscribe(
        'orders.created',
        (message) => {
          handled.push({ node, id: message.id, redelivered: message.redelivered });
          if (workerHandles(node) === 'hang') return new Promise<void>(() => {}); // never acks
        },
        { queue: 'workers', delivery: 'at-least-once', ackTimeoutMs: 60_000 },
      );
    });
  sim.node('orders-1', () => {});
  await sim.runFor(10);
  const publish = (body: string) =>
    sim.exec('orders-1', (ctx) => brokerClient(ctx).publish('orders.created', bytes(body)));
  return { handled, publish };
}

describe('broker fake: faults', () => {
  it('a subscriber that crashes holding an unacked message: another member gets it once its lease lapses', async () => {
    const { handled, publish } = await shop((node) => (node === 'worker-1' ? 'hang' : 'ack'));
    const ids = [await publish('order 1'), await publish('order 2')];
    await sim.runFor(10);
    const held = handled.find((h) => h.node === 'worker-1');
    expect(held).toBeDefined();
    sim.crash('worker-1');
    await sim.runFor(DEFAULT_SUBSCRIBER_LEASE_MS + 100);
    const redelivered = handled.filter((h) => h.node === 'worker-2' && h.redelivered);
    expect(redelivered.map((h) => h.id)).toEqual([held?.id]);
    expect(new Set(handled.filter((h) => h.node === 'worker-2').map((h) => h.id))).toEqual(new Set(ids));
    expect(sim.trace.some((e) => e.type === 'broker.subscriber-expired')).toBe(true);
  });

  it('a publisher partitioned from the broker gets a retryable TIMEOUT; after heal, publishing works', async () => {
    const { handled, publish } = await shop(() => 'ack');
    sim.net.partition(['orders-1'], ['broker']);
    const error = await publish('lost').catch((e: unknown) => e);
    expect(isMicroError(error) && [error.code, error.retryable]).toEqual(['TIMEOUT', true]);
    sim.net.heal();
    await publish('after heal');
    await sim.runFor(10);
    expect(handled).toHaveLength(1);
  });

  it('the trace names publish, deliver, receipt (on the subscriber) and ack with the message id', async () => {
    const { publish } = await shop(() => 'ack');
    const id = await publish('traced');
    await sim.runFor(10);
    const records = sim.trace.filter((e) => (e as { id?: string }).id === id);
    expect(records.map((e) => e.type)).toEqual(['broker.publish', 'broker.deliver', 'broker.received', 'broker.ack']);
    expect(records.map((e) => e.node)).toEqual(['broker', 'broker', 'worker-1', 'broker']);
    expect((records[0] as { from?: string }).from).toBe('orders-1');
  });
});
