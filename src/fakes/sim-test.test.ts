import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../micro/index.js';
import { replayHint, runWithSeed, simTest } from './sim-test.js';

class Echo {
  async Say(request: { text: string }, _context: CallContext) {
    return { text: request.text, at: Date.now() };
  }
}
const options = {
  services: { echo: (s: { handle: (n: string, h: object) => unknown }) => void s.handle('Echo', new Echo()) },
};

const seen: string[] = [];
const draws = new Map<number, number>();
afterAll(() => {
  // `.seeds(3)` declared three tests, each ran once with its own seed.
  expect(seen.filter((name) => name.startsWith('lists one test per seed')).sort()).toEqual([
    'lists one test per seed (seed 1)',
    'lists one test per seed (seed 2)',
    'lists one test per seed (seed 3)',
  ]);
  expect(new Set(draws.values()).size).toBe(3);
});

describe('simTest', () => {
  simTest.seeds(3)('lists one test per seed', options, async ({ seed }) => {
    seen.push(expect.getState().currentTestName?.split(' > ').at(-1) ?? '');
    draws.set(seed, Math.random());
  });

  simTest('gives the body the simulation’s Math.random, Date and timers', options, async ({ cluster, node }) => {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // five virtual seconds: instant
    expect(Date.now() - start).toBe(5_000);
    expect(cluster.sim.now).toBeGreaterThanOrEqual(5_000);
    const reply = await cluster.client.call<{ at: number }>('echo', 'Echo.Say', { text: 'hi' });
    expect(reply.at).toBeGreaterThanOrEqual(start + 5_000);
    expect(node.name).toBe('client');
    const draw = Math.random();
    expect(draw).toBeGreaterThanOrEqual(0);
  });

  it('draws the same Math.random in the body for the same seed', async () => {
    const again: number[] = [];
    const { createSimCluster } = await import('./cluster.js');
    for (let i = 0; i < 2; i++) {
      const cluster = await createSimCluster({ seed: 7 });
      again.push(await cluster.sim.settle(cluster.sim.exec(cluster.clientNode, () => Math.random())));
      cluster.dispose();
    }
    expect(again[0]).toBe(again[1]);
  });

  simTest.each([
    { replicas: 1, name: 'one' },
    { replicas: 3, name: 'three' },
  ])(
    'runs a case per row: $name',
    (row) => ({ services: { echo: { replicas: row.replicas, setup: (s) => void s.handle('Echo', new Echo()) } } }),
    async ({ cluster }, row) => {
      expect(cluster.replicas.echo).toHaveLength(row.replicas);
    },
  );

  console.log('sim-test: one test is skipped on purpose, to show simTest.skip declares a skipped vitest test');
  simTest.skip('skipped on purpose (simTest.skip)', options, async () => {
    throw new Error('never runs');
  });

  simTest.concurrent('runs concurrently with its neighbour (a)', options, async ({ cluster }) => {
    expect(await cluster.client.call('echo', 'Echo.Say', { text: 'a' })).toMatchObject({ text: 'a' });
  });
  simTest.concurrent('runs concurrently with its neighbour (b)', options, async ({ cluster }) => {
    expect(await cluster.client.call('echo', 'Echo.Say', { text: 'b' })).toMatchObject({ text: 'b' });
  });

  it('prefixes a failure with the seed and a replay command naming the file and the test', async () => {
    expect(replayHint('sums (seed 3)', 3, 'src/a.test.ts')).toBe(
      "MICROCOSM_SEED=3 npx vitest run src/a.test.ts -t '^sums \\(seed 3\\)$'",
    );
    await expect(
      runWithSeed('sums (seed 3)', 'src/a.test.ts', 3, options, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow(/^\[seed 3\] replay: MICROCOSM_SEED=3 npx vitest run src\/a\.test\.ts -t .*\nboom$/);
  });
});
