import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError } from '../micro/errors.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { cacheNode } from './cache.js';
import { drive } from './driven.js';

let sim: Sim;
afterEach(() => sim?.dispose());

describe('cache fake on a simulated network', () => {
  it('times out while partitioned from the cache node; entries expire on its clock', async () => {
    sim = createSim({ seed: 17 });
    const node = cacheNode(sim);
    const apps: NodeContext[] = [];
    for (const name of ['web-1', 'web-2']) sim.node(name, (ctx) => void apps.push(ctx));
    await sim.runFor(0);
    const driven = drive(sim);
    const [one, two] = apps.map((ctx) => driven.wrap(node.client(ctx, { timeoutMs: 200 })));
    await one?.set('greeting', { text: 'hi' }, { ttlMs: 5_000 });
    expect(await two?.get('greeting')).toEqual({ text: 'hi' });
    sim.net.partition(['web-2'], ['cache']);
    const failed = await two?.get('greeting').catch((e: unknown) => (isMicroError(e) ? e.code : e));
    expect(failed).toBe('TIMEOUT');
    sim.net.heal();
    await driven.advance(5_000);
    expect(await two?.get('greeting')).toBeUndefined();
  });
});
