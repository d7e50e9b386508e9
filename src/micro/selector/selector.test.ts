import { describe, expect, it } from 'vitest';
import { memoryRegistry } from '../registry/memory.js';
import type { Registry, Service } from '../registry/types.js';
import { manualRuntime } from '../testing/manual-runtime.js';
import { createSelector } from './selector.js';
import { filterMetadata, filterVersion, type SelectOptions, type Selector } from './types.js';

const service = (version: string, nodes: Array<[id: string, zone: string]>): Service => ({
  name: 'greeter',
  version,
  metadata: {},
  endpoints: [],
  nodes: nodes.map(([id, zone]) => ({ id, address: `memory://${id}`, metadata: { zone } })),
});

async function world(strategy?: 'random' | 'round-robin' | 'least-outstanding' | 'consistent-hash') {
  const runtime = manualRuntime({ seed: 7 });
  const registry: Registry = memoryRegistry({ runtime });
  await registry.register(
    service('1.0', [
      ['a', 'eu'],
      ['b', 'us'],
    ]),
  );
  await registry.register(service('2.0', [['c', 'eu']]));
  const selector = createSelector(strategy === undefined ? { registry, runtime } : { registry, runtime, strategy });
  return { runtime, registry, selector };
}

/** Pick `n` nodes, reporting each call as finished successfully. */
async function picks(selector: Selector, n: number, options: SelectOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const selection = await selector.select('greeter', options);
    selection.done(true);
    out.push(selection.node.id);
  }
  return out;
}

describe('selector', () => {
  it('round-robin visits every node in turn', async () => {
    const { selector } = await world('round-robin');
    expect(await picks(selector, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('random spreads calls over every node, replayably from the runtime seed', async () => {
    const first = await picks((await world('random')).selector, 300);
    const counts = ['a', 'b', 'c'].map((id) => first.filter((x) => x === id).length);
    expect(counts.every((c) => c > 60)).toBe(true);
    expect(await picks((await world('random')).selector, 300)).toEqual(first);
  });

  it('least-outstanding prefers the node with the fewest calls in flight', async () => {
    const { selector } = await world('least-outstanding');
    const busyA = await selector.select('greeter');
    const busyB = await selector.select('greeter');
    expect([busyA.node.id, busyB.node.id]).toEqual(['a', 'b']);
    expect((await selector.select('greeter')).node.id).toBe('c'); // c now busy too
    busyB.done(true);
    expect((await selector.select('greeter')).node.id).toBe('b');
  });

  it('consistent-hash sends a key to the same node, and moves few keys when a node leaves', async () => {
    const { selector, registry, runtime } = await world('consistent-hash');
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const before = await Promise.all(keys.map(async (key) => (await picks(selector, 1, { key }))[0]));
    expect(await Promise.all(keys.map(async (key) => (await picks(selector, 1, { key }))[0]))).toEqual(before);
    await registry.deregister(service('2.0', [['c', 'eu']]));
    await runtime.flush();
    const after = await Promise.all(keys.map(async (key) => (await picks(selector, 1, { key }))[0]));
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    expect(moved.length).toBe(before.filter((id) => id === 'c').length); // only c's keys moved
    await expect(selector.select('greeter')).rejects.toThrow(/needs a request key/);
  });

  it('filters by version and by metadata', async () => {
    const { selector } = await world('round-robin');
    expect(await picks(selector, 4, { filters: [filterVersion('1.0')] })).toEqual(['a', 'b', 'a', 'b']);
    expect(await picks(selector, 2, { filters: [filterMetadata({ zone: 'eu' })] })).toEqual(['a', 'c']);
    await expect(selector.select('greeter', { filters: [filterVersion('3.0')] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(selector.select('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps its cache fresh through the registry watch', async () => {
    const { selector, registry, runtime } = await world('round-robin');
    expect(await picks(selector, 3)).toEqual(['a', 'b', 'c']);
    await registry.register(service('2.0', [['d', 'us']]));
    await runtime.flush();
    expect(await picks(selector, 4)).toEqual(['d', 'a', 'b', 'c']); // the turn counter carries on, now over four
  });

  it('avoids a node that failed, for a while, then uses it again', async () => {
    const { selector, runtime } = await world('round-robin');
    const first = await selector.select('greeter', { filters: [filterVersion('1.0')] });
    first.done(false); // a failed
    expect(await picks(selector, 3, { filters: [filterVersion('1.0')] })).toEqual(['b', 'b', 'b']);
    await runtime.advance(5_000);
    expect(await picks(selector, 2, { filters: [filterVersion('1.0')] })).toEqual(['a', 'b']);
  });

  it('serves repeated calls from its cached candidates, yet honours exclusions, watch changes and one report', async () => {
    const { selector, registry, runtime } = await world('least-outstanding');
    const open = new Set<string>();
    const options: SelectOptions = { filters: [filterMetadata({ zone: 'eu' })], exclude: (node) => open.has(node.id) };
    expect(await picks(selector, 2, options)).toEqual(['a', 'a']);
    open.add('a'); // a's circuit opens: the same filter list and exclude now leave only c
    expect(await picks(selector, 2, options)).toEqual(['c', 'c']);
    open.add('c');
    await expect(selector.select('greeter', options)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await registry.register(service('3.0', [['e', 'eu']]));
    await runtime.flush();
    expect(await picks(selector, 1, options)).toEqual(['e']); // the new snapshot, same filter list
    open.clear();
    const held = [];
    for (let i = 0; i < 6; i++) held.push(await selector.select('greeter', options)); // a c e a c e: two each
    expect(held.map((s) => s.node.id)).toEqual(['a', 'c', 'e', 'a', 'c', 'e']);
    held[1]!.done(true);
    held[1]!.done(true); // a second report is ignored: c has one call left in flight, not none
    const next = [await selector.select('greeter', options), await selector.select('greeter', options)];
    expect(next.map((s) => s.node.id)).toEqual(['c', 'a']);
  });

  it('rejects an unknown strategy by name', () => {
    const registry = memoryRegistry({ runtime: manualRuntime() });
    expect(() => createSelector({ registry, strategy: 'fastest' as never })).toThrow(/unknown strategy 'fastest'/);
  });
});
