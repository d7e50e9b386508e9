import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../metadata/context.js';
import { type TestWorld, testWorld } from '../testing/world.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

describe('subscribers', () => {
  it('get published messages through the broker: fan-out to each service, one member per queue group', async () => {
    const world = testWorld();
    worlds.push(world);
    const got: string[] = [];
    const record = (who: string) => (order: { id: number }, context: CallContext) => {
      got.push(`${who} #${order.id} by ${context.metadata.user}`);
    };
    const workers = ['worker-1', 'worker-2'].map((name) =>
      world.service({ name }).subscribe('orders.created', record(name), { queue: 'workers' }),
    );
    const audit = world.service({ name: 'audit' }).subscribe('orders.created', record('audit'));
    for (const service of [...workers, audit]) await service.start();
    const shop = world.service({ name: 'shop' });
    for (const id of [1, 2]) await shop.client.publish('orders.created', { id }, { metadata: { user: 'ada' } });
    await world.runtime.flush();
    expect(got.filter((line) => line.startsWith('audit'))).toEqual(['audit #1 by ada', 'audit #2 by ada']);
    const byWorkers = got.filter((line) => line.startsWith('worker'));
    expect(byWorkers).toHaveLength(2); // each message to exactly one worker
    expect(new Set(byWorkers.map((line) => line.split(' ')[1]))).toEqual(new Set(['#1', '#2']));
  });

  it('stop receiving once their service stops', async () => {
    const world = testWorld();
    worlds.push(world);
    const got: number[] = [];
    const listener = world.service({ name: 'listener' }).subscribe<{ n: number }>('ticks', (tick) => {
      got.push(tick.n);
    });
    await listener.start();
    const publisher = world.service({ name: 'publisher' });
    await publisher.client.publish('ticks', { n: 1 });
    await world.runtime.flush();
    await listener.stop();
    await publisher.client.publish('ticks', { n: 2 });
    await world.runtime.flush();
    expect(got).toEqual([1]);
  });
});
