import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createConfig } from '../micro/config/config.js';
import { defaultsSource } from '../micro/config/sources.js';
import type { MicroError } from '../micro/errors.js';
import { silentLogger } from '../micro/logger/memory.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { configNode } from './config.js';
import { drive } from './driven.js';

let sim: Sim;
afterEach(() => sim?.dispose());

async function shop() {
  sim = createSim({ seed: 21 });
  const node = configNode(sim);
  let app!: NodeContext;
  sim.node('orders-1', (ctx) => {
    app = ctx;
  });
  await sim.runFor(0);
  await node.publish('orders.json', { workers: 4 });
  const driven = drive(sim);
  const errors: MicroError[] = [];
  const config = await driven
    .wrap({
      start: () =>
        createConfig({
          sources: [
            defaultsSource({ workers: 1, region: 'eu' }),
            node.source(app, { key: 'orders.json', pollMs: 500 }),
          ],
          schema: z.object({ workers: z.number().int().min(1), region: z.string() }),
          onError: (error) => errors.push(error),
          logger: silentLogger,
        }),
    })
    .start();
  return { node, config, errors, advance: driven.advance };
}

describe('config served from a config node', () => {
  it('hot-reloads a published change within a poll interval or two', async () => {
    const { node, config, advance } = await shop();
    const seen: unknown[] = [];
    config.watch('workers', (value) => seen.push(value));
    await node.publish('orders.json', { workers: 8 });
    await advance(1_000);
    expect(config.value()).toEqual({ workers: 8, region: 'eu' });
    expect(seen).toEqual([8]);
  });

  it('keeps the last good config through a partition from the config node, and catches up after heal', async () => {
    const { node, config, errors, advance } = await shop();
    sim.net.partition(['orders-1'], ['config']);
    await node.publish('orders.json', { workers: 16 });
    await advance(3_000);
    expect(config.get('workers')).toBe(4);
    expect(errors.map((e) => e.code)).toContain('TIMEOUT');
    sim.net.heal();
    await advance(2_000);
    expect(config.get('workers')).toBe(16);
  });

  it('rejects a published document that fails the schema, once, and keeps serving the old one', async () => {
    const { node, config, errors, advance } = await shop();
    await node.publish('orders.json', { workers: 0 });
    await advance(3_000);
    expect(config.get('workers')).toBe(4);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.detail).toContain('"workers"');
  });
});
