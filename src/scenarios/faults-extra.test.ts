/**
 * The richer faults: replica lag as a fault, trace-triggered faults, and names checked before any
 * seed runs (an unknown invariant or fault target is bad input at its file and line).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { parseFaultText } from './fault-text.js';
import { planNemesis } from './nemesis.js';
import { plantedSystem } from './planted-system.js';
import { runScenario } from './run.js';
import { defineScenario } from './scenario.js';
import { validateScenario } from './validate.js';
import { loadYamlScenario } from './yaml.js';

describe('fault lines', () => {
  it('reads lag and trace triggers as people write them', () => {
    expect(parseFaultText('at 1s lag store by 500ms for 3s')).toEqual({
      fault: { type: 'lag', node: 'store', ms: 500, at: 1000, for: 3000 },
    });
    expect(parseFaultText('on orders-1 store.write crash orders-1')).toEqual({
      fault: { type: 'crash', node: 'orders-1', at: 0, on: { record: 'store.write', node: 'orders-1' } },
    });
    expect(parseFaultText('after 3 publishes on payments-1 crash payments-1 for 1s')).toEqual({
      fault: {
        type: 'crash',
        node: 'payments-1',
        at: 0,
        for: 1000,
        on: { record: 'publishes', node: 'payments-1', count: 3 },
      },
    });
  });

  it('the nemesis draws lag faults on store nodes only', () => {
    const faults = planNemesis({ faults: ['lag', 'pause'], every: 500, lasting: 300 }, 3, 10_000, {
      store: ['store'],
      api: ['api-1'],
    });
    const lags = faults.filter((f) => f.type === 'lag');
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((f) => f.node === 'store' && f.ms >= 100)).toBe(true);
  });
});

const kv = (faults: string[]) =>
  defineScenario({
    name: 'kv',
    system: plantedSystem,
    workload: [
      { op: 'put', rate: '20/s', keys: { count: 1 } },
      { op: 'get', rate: '20/s', keys: { count: 1 } },
      { op: 'publish', rate: '5/s' },
    ],
    faults,
    invariants: ['linearizable'],
    duration: '2s',
  });

describe('trace-triggered faults', () => {
  it('crash the broker at the third publish api-1 makes', async () => {
    const result = await runScenario(kv(['after 3 publishes on api-1 crash broker for 100ms']), 1, {
      timeline: 'always',
    });
    const band = result.timeline?.faults.find((f) => f.label.startsWith('after 3 publishes on api-1'));
    expect(band?.nodes).toEqual(['broker']);
    expect(band?.until).toBe((band?.at ?? 0) + 100);
    expect(band?.at).toBeGreaterThan(100);
  });

  it('fires once per trigger, and a run with it replays to the same trace hash', async () => {
    const scenario = kv(['on api-1 store.write crash api-1 for 200ms']);
    const [a, b] = [await runScenario(scenario, 2), await runScenario(scenario, 2)];
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.operations.unknown).toBeGreaterThan(0);
  });
});

describe('replica lag as a fault', () => {
  it('makes reads of a linearizable store stale while it lasts, and only then', async () => {
    const lagged = await runScenario(kv(['at 200ms lag store by 300ms for 1s']), 1);
    const healthy = await runScenario(kv([]), 1);
    expect(lagged.verdicts[0]?.holds).toBe(false);
    expect(healthy.verdicts[0]?.holds).toBe(true);
  });
});

describe('names checked before any seed runs', () => {
  it('an unknown fault target or invariant, with what the system has', async () => {
    const problems = await validateScenario(
      defineScenario({
        name: 'typos',
        system: plantedSystem,
        faults: ['at 1s crash api-9', 'at 1s lag api-1 by 100ms', 'on api-7 store.write crash api-1'],
        invariants: ['linearisable', { name: 'latency', p: 99, maxx: '1s' }],
        duration: '2s',
      }),
    );
    expect(problems.map((p) => [p.path.join('.'), p.message.split(';')[0]])).toEqual([
      ['invariants.0', 'unknown invariant "linearisable"'],
      ['invariants.1', 'invariant latency: unknown option "maxx" (expected: p, max, op)'],
      ['faults.0', 'unknown fault target "api-9"'],
      ['faults.1', 'lag api-1: api-1 is not a store node'],
      ['faults.2', 'unknown fault target "api-7"'],
    ]);
  });

  it('a YAML file names the line; the command exits 2 before running anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-names-'));
    const file = join(dir, 'bad.yaml');
    const text = `name: typo
system:
  module: ${join(import.meta.dirname, 'planted-system.ts')}
  export: plantedSystem
faults:
  - at 1s crash api-1
  - at 1s crash orders-9
invariants: [linearizable]
duration: 2s
`;
    await writeFile(file, text);
    await expect(loadYamlScenario(text, file)).rejects.toThrow(
      `${file}:7:5: faults[1]: unknown fault target "orders-9"`,
    );
    const err: string[] = [];
    const code = await main(['run', file, '--report', join(dir, 'reports')], {
      cwd: dir,
      out: () => {},
      err: (s: string) => err.push(s),
    } as never);
    expect(code).toBe(2);
    expect(err.join('')).toContain('bad.yaml:7:5: faults[1]: unknown fault target "orders-9"');
  });
});
