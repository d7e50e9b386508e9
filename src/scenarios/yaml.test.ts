import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from './load.js';
import { ScenarioError } from './scenario-error.js';
import { parseYamlScenario } from './yaml.js';

const SYSTEM = join(import.meta.dirname, 'test-system.ts');

const valid = `name: volatile counter
description: a crash loses acknowledged increments
system:
  module: ${SYSTEM}
  export: counterSystem
  options: { durable: false }
workload:
  - op: inc
    rate: 50/s
    keys: { count: 3, distribution: zipf }
faults:
  - at 1s crash counter for 200ms
  - { at: 1500ms, type: loss, from: client, to: counter, p: 0.1, for: 100ms }
invariants:
  - acked-not-lost
  - { name: success-rate, min: 0.5 }
duration: 2s
expect: { violated: acked-not-lost }
`;

function errorOf(text: string): ScenarioError {
  try {
    parseYamlScenario(text, 'scenarios/bad.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

describe('YAML scenarios', () => {
  it('turn durations, rates and one-line faults into numbers and fault events', () => {
    const data = parseYamlScenario(valid, 'scenarios/counter.yaml');
    expect(data.duration).toBe(2000);
    expect(data.workload[0]).toMatchObject({ op: 'inc', rate: 50, keys: { count: 3, distribution: 'zipf' } });
    expect(data.faults).toEqual([
      { type: 'crash', node: 'counter', at: 1000, for: 200 },
      { type: 'loss', from: 'client', to: 'counter', p: 0.1, at: 1500, for: 100 },
    ]);
    expect(data.invariants).toEqual([
      { name: 'acked-not-lost', options: {} },
      { name: 'success-rate', options: { min: 0.5 } },
    ]);
  });

  it('load with their system module into a runnable scenario', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-yaml-'));
    const file = join(dir, 'counter.yaml');
    await writeFile(file, valid);
    const [scenario] = await loadScenarioFile(file);
    expect(scenario?.name).toBe('volatile counter');
    expect(scenario?.systemOptions).toEqual({ durable: false });
    expect(scenario?.expect).toEqual({ violated: 'acked-not-lost' });
  });

  it('name the file, line and field of a bad duration and say what was expected', () => {
    const error = errorOf(valid.replace('duration: 2s', 'duration: soon'));
    expect(error.message).toBe(
      'scenarios/bad.yaml:17:11: duration: expected a duration like 10s, 250ms or 2m (or milliseconds), got "soon"',
    );
  });

  it('point at the bad fault line', () => {
    const error = errorOf(valid.replace('at 1s crash counter', 'at 1s smash counter'));
    expect(error.line).toBe(12);
    expect(error.message).toContain('faults[0]: expected one of: partition [a, b] from [c];');
    expect(error.message).toContain('got "smash counter"');
  });

  it('name an unknown field', () => {
    const error = errorOf(valid.replace('duration: 2s', 'duration: 2s\nduratoin: 3s'));
    expect(error.message).toBe('scenarios/bad.yaml:1:1: unknown field "duratoin"');
  });

  it('name a missing field at its parent', () => {
    const error = errorOf(valid.replace('    rate: 50/s\n', ''));
    expect(error.message).toMatch(/^scenarios\/bad\.yaml:8:5: workload\[0\]\.rate: expected/);
  });

  it('report YAML syntax errors with their line', () => {
    const error = errorOf('name: x\nsystem: [unclosed\n');
    expect(error.message).toMatch(/^scenarios\/bad\.yaml:\d+:\d+: YAML syntax:/);
  });

  it('reject system options the system does not know, naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-yaml-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, valid.replace('{ durable: false }', '{ durible: false }'));
    await expect(loadScenarioFile(file)).rejects.toThrow(`${file}:6:12: system.options: unknown option "durible"`);
  });
});

describe('YAML fault objects', () => {
  it('name the bad field inside a fault object', () => {
    const error = errorOf(valid.replace('p: 0.1', 'p: 1.5'));
    expect(error.message).toBe('scenarios/bad.yaml:13:61: faults[1].p: expected a probability in 0..1');
  });

  it('list the fault types when the type is unknown', () => {
    const error = errorOf(valid.replace('type: loss', 'type: lose'));
    expect(error.message).toContain('faults[1]: expected type to be one of partition, partition-one-way,');
  });
});
