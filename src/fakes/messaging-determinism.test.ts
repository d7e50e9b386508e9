/** Same seed, same workload ⇒ the same trace, with the broker, events and lock fakes all busy. */
import { afterEach, describe, expect, it } from 'vitest';
import { createSim, type Sim } from '../sim/index.js';
import { brokerClient, hostBroker } from './broker.js';
import { eventsClient, hostEvents } from './events.js';
import { hostLocks, syncClient } from './sync.js';

const sims: Sim[] = [];
afterEach(() => {
  for (const sim of sims.splice(0)) sim.dispose();
});

async function run(seed: number) {
  const sim = createSim({ seed });
  sims.push(sim);
  sim.net.latency('*', '*', { type: 'uniform', min: 1, max: 20 });
  sim.net.loss('*', '*', 0.05);
  hostBroker(sim);
  hostEvents(sim);
  hostLocks(sim);
  for (const name of ['w1', 'w2', 'w3'])
    sim.node(name, async (ctx) => {
      const broker = brokerClient(ctx);
      const events = eventsClient(ctx);
      const sync = syncClient(ctx);
      await broker
        .subscribe('jobs', () => {}, { queue: 'workers', delivery: 'at-least-once', ackTimeoutMs: 200 })
        .catch(() => {});
      const consumer = await events.consume('orders', { group: 'billing', ackDeadlineMs: 200 }).catch(() => undefined);
      void (async () => {
        for (let m = await consumer?.next(); m; m = await consumer?.next()) await m.ack().catch(() => {});
      })();
      for (let i = 0; i < 5; i++) {
        await broker.publish('jobs', new Uint8Array([i])).catch(() => {});
        await events.publish('orders', new Uint8Array([i])).catch(() => {});
        const lock = await sync.lock('job', { ttlMs: 100, waitMs: 300 }).catch(() => undefined);
        if (lock?.type === 'acquired') await lock.lease.release().catch(() => {});
      }
    });
  await sim.runFor(5_000);
  const count = (type: string) => sim.trace.filter((e) => e.type === type).length;
  return { hash: sim.traceHash(), work: [count('broker.ack'), count('events.ack'), count('sync.grant')] };
}

describe('messaging fakes are deterministic', () => {
  it('replays a busy, lossy workload to the identical trace hash, and a new seed changes it', async () => {
    const first = await run(21);
    for (const done of first.work) expect(done).toBeGreaterThan(5); // every fake did real work
    expect(await run(21)).toEqual(first);
    expect((await run(22)).hash).not.toBe(first.hash);
  });
});
