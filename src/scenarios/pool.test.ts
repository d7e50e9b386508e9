import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunPool, type RunPool } from './pool.js';
import type { RunResult } from './result.js';
import { sweep } from './sweep.js';
import { sweepAndShrink } from './sweep-shrink.js';
import type { RunTask } from './task.js';

const scenario = (module: string) => `name: volatile counter
system:
  module: ${module}
  export: counterSystem
workload:
  - { op: inc, rate: 40/s }
faults:
  - at 200ms pause client for 100ms
  - at 600ms loss client -> counter 0.2 for 100ms
  - at 1s crash counter for 200ms
invariants: [acked-not-lost]
duration: 2s
`;

let dir: string;
let file: string;
const task = (seed: number, shrink = false): RunTask => ({
  file,
  scenario: 'volatile counter',
  seed,
  fileHoldsSeveral: false,
  shrink,
  reportDir: join(dir, 'reports'),
  sample: false,
});
const hashes = (results: readonly RunResult[]) => results.map((r) => `${r.seed}:${r.traceHash}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microcosm-pool-'));
  file = join(dir, 'counter.yaml');
  await writeFile(file, scenario(join(import.meta.dirname, 'test-system.ts')));
});

describe('a warm run pool', () => {
  let pool: RunPool;
  beforeAll(() => {
    pool = createRunPool({ workers: 2 });
    pool.preload([file]);
  });
  afterAll(() => pool.close());

  it('gives every seed the trace hash it has in this thread, however often its worker was reused', async () => {
    const seeds = [1, 2, 3, 4];
    const inProcess = await sweep(
      seeds.map((s) => task(s)),
      { workers: 1 },
    );
    const first = await sweep(
      seeds.map((s) => task(s)),
      { pool },
    );
    // The same pool again, in another order: each worker has now run many tasks before these.
    const again = await sweep(
      [...seeds].reverse().map((s) => task(s)),
      { pool },
    );
    expect(hashes(first)).toEqual(hashes(inProcess));
    expect(hashes(again)).toEqual(hashes(inProcess).reverse());
    expect(new Set(hashes(first)).size).toBe(seeds.length);
  }, 60_000); // two workers boot (tsx from sources) on a shared 2-core machine

  it('shrinks on the pool to exactly what a shrink in this thread finds', async () => {
    const [inProcess] = await sweep([task(5, true)], { workers: 1 });
    const [pooled] = await sweep([task(5, true)], { pool });
    expect(pooled?.shrink?.faultsAfter).toBeLessThan(pooled?.shrink?.faultsBefore ?? 0);
    expect(pooled?.shrink).toMatchObject({
      runs: inProcess?.shrink?.runs,
      faultsAfter: inProcess?.shrink?.faultsAfter,
      opsAfter: inProcess?.shrink?.opsAfter,
    });
    expect(pooled?.shrink?.minimal.traceHash).toBe(inProcess?.shrink?.minimal.traceHash);
  });

  it('sweeps and shrinks as it goes to exactly what one thread finds, results in task order', async () => {
    const tasks = [1, 2, 3, 4, 5, 6].map((s) => task(s));
    const inProcessPool = createRunPool({ workers: 1 });
    const inProcess = await sweepAndShrink(tasks, { pool: inProcessPool }).finally(() => inProcessPool.close());
    const pooled = await sweepAndShrink(tasks, { pool });
    expect(hashes(pooled)).toEqual(hashes(inProcess));
    const shrunk = (results: readonly RunResult[]) =>
      results
        .filter((r) => r.shrink !== undefined)
        .map((r) => `${r.seed}:${r.shrink?.runs}:${r.shrink?.minimal.traceHash}`);
    // One shrink for the scenario: its smallest violation.
    expect(shrunk(pooled)).toHaveLength(1);
    expect(shrunk(pooled)).toEqual(shrunk(inProcess));
  }, 60_000);

  it('reports a file that cannot load as the error of the run that needed it', async () => {
    await expect(pool.run({ ...task(1), file: join(dir, 'missing.yaml') })).rejects.toThrow(/missing\.yaml/);
    expect((await pool.run({ ...task(1), reportDir: join(dir, 'reports') })).seed).toBe(1); // still usable
  });
});
