import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import type { CliIo } from '../cli/io.js';
import { createSim } from '../sim/index.js';
import { clusterSystem } from './cluster-system.js';
import { defineScenario } from './scenario.js';
import { runScenario } from './run.js';
import { counterCluster } from './test-cluster-system.js';

const SYSTEM = join(import.meta.dirname, 'test-cluster-system.ts');
const scenarioYaml = (durable: boolean) => `name: counter ${durable ? 'durable' : 'volatile'}
system: { module: ${SYSTEM}, export: counterCluster, options: { durable: ${durable} } }
workload: [{ op: add, rate: 20/s }]
faults: [at 1s crash counter for 300ms]
invariants: [totals-only-grow]
duration: 3s
seeds: 1
`;

async function microcosm(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), tty: false, cwd };
  return { code: await main(argv, io), out, err };
}

describe('clusterSystem: a scenario system from a services map', () => {
  it('builds both services and the wanted infrastructure as nodes faults can target', async () => {
    const result = await runScenario(
      defineScenario({
        name: 'durable counter',
        system: counterCluster,
        options: { durable: true },
        workload: [{ op: 'add', rate: '20/s' }],
        faults: ['at 1s crash counter for 300ms'],
        invariants: ['totals-only-grow'],
        duration: '3s',
      }),
      1,
      { timeline: 'always' },
    );
    expect(result.outcome, result.error).toBe('held');
    expect(result.operations.ok).toBeGreaterThan(30);
    const nodes = result.timeline?.nodes ?? [];
    for (const node of ['counter-1', 'front-1', 'front-2', 'registry', 'store', 'client'])
      expect(nodes).toContain(node);
    expect(nodes).not.toContain('broker');
  });

  it('runs a failing scenario from the command line, then replays the failure with the same hash (exit 0)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-cluster-system-'));
    await mkdir(join(dir, 'scenarios'));
    await writeFile(join(dir, 'scenarios', 'volatile.yaml'), scenarioYaml(false));
    const run = await microcosm(dir, 'run', '--seed', '2', '--no-shrink', '--workers', '1');
    expect(run.code).toBe(1);
    expect(run.out).toContain('totals-only-grow: a total went down');
    const replay = await microcosm(dir, 'replay', 'reports/counter-volatile-seed2.json');
    expect(replay.out).toMatch(/trace hash (\w+) \(recorded \1\): identical/);
    expect(replay.code).toBe(0);

    const report = join(dir, 'reports', 'counter-volatile-seed2.json');
    const json = JSON.parse(await readFile(report, 'utf8'));
    json.result.traceHash = '0000000000000000';
    await writeFile(report, JSON.stringify(json));
    const diverged = await microcosm(dir, 'replay', report);
    expect(diverged.out).toContain('DIFFERENT — the run did not reproduce');
    expect(diverged.code).toBe(1);
  });

  it('names an unknown operation and an unknown infrastructure', async () => {
    const result = await runScenario(
      defineScenario({
        name: 'typo',
        system: counterCluster,
        workload: [{ op: 'addd', rate: '20/s' }],
        invariants: [{ name: 'success-rate', min: 0.5 }],
        duration: '1s',
      }),
      1,
      { timeline: 'always' },
    );
    expect(result.passed).toBe(false);
    expect(result.timeline?.operations[0]?.detail).toBe('BAD_REQUEST');
    const sim = createSim({ seed: 1 });
    const built = await counterCluster.build(sim, { durable: false });
    await expect(built.call({ id: 0, at: 0, op: 'addd', key: 'k' }, 'client')).rejects.toThrow(
      'system "counter cluster" has no operation "addd" (it has: add)',
    );
    sim.dispose();
    const bad = clusterSystem({
      name: 'bad',
      services: { a: 1 },
      infrastructure: ['db' as 'store'],
      operations: { x: async () => undefined },
    });
    const typo = await runScenario(defineScenario({ name: 'bad', system: bad, invariants: ['success-rate'], duration: '1s' }), 1);
    expect(typo.error).toContain('infrastructure "db" is not one of broker, events, store, cache, locks');
  });
});
