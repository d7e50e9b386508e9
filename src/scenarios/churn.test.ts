/**
 * Churn in scenarios: `restart X --new-address` as a fault, the nemesis's `churn`, and the
 * planted bug only churn finds (a client that caches an address forever, `churn-system.ts`).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { churnSystem } from './churn-system.js';
import { planNemesis } from './nemesis.js';
import { runScenario } from './run.js';
import { defineScenario, type ScenarioInput } from './scenario.js';
import { nemesisSchema } from './schema.js';

type Body = Omit<ScenarioInput<{ pinAddress: boolean }>, 'system' | 'name' | 'invariants' | 'duration'>;
const greetings = (name: string, pinAddress: boolean, body: Body) =>
  defineScenario({
    name,
    system: churnSystem,
    options: { pinAddress },
    workload: [{ op: 'hello', rate: '20/s' }],
    invariants: [{ name: 'success-rate', min: 0.9 }],
    duration: '8s',
    ...body,
  });

const churn = { faults: ['churn'], every: '1500ms', targets: ['greeter'] } satisfies Body['nemesis'];

async function firstViolation(scenario: ReturnType<typeof greetings>, seeds: number) {
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runScenario(scenario, seed, { timeline: 'never' });
    if (result.outcome === 'error') throw new Error(result.error);
    const broken = result.verdicts.find((v) => !v.holds);
    if (broken) {
      console.log(`churn: found by seed ${seed} of ${seeds} — ${broken.violations[0]?.message}`);
      return { seed, message: broken.violations[0]?.message ?? '' };
    }
  }
  return undefined;
}

async function holdsOn(scenario: ReturnType<typeof greetings>, seeds: number) {
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runScenario(scenario, seed, { timeline: 'never' });
    expect(result.outcome, `seed ${seed}: ${result.error ?? JSON.stringify(result.verdicts)}`).toBe('held');
  }
}

describe('a client that caches an address forever', () => {
  it('is found by a nemesis that churns greeter onto new addresses', async () => {
    const found = await firstViolation(greetings('pinned under churn', true, { nemesis: churn }), 5);
    expect(found?.message).toMatch(/operations succeeded .* below 90%/);
  });

  it('passes the same churn once the client goes through the selector', () =>
    holdsOn(greetings('selector under churn', false, { nemesis: churn }), 3));

  it('is not found by crashes and plain restarts, which keep the address', () =>
    holdsOn(
      greetings('pinned under restarts', true, {
        faults: ['at 1s restart greeter-1', 'at 2s restart greeter-2', 'at 3s crash greeter for 300ms'],
      }),
      3,
    ));
});

describe('restart --new-address as a scheduled fault', () => {
  it('moves the node: the timeline marks it and the unpinned client keeps succeeding', async () => {
    const scenario = greetings('one move', false, { faults: ['at 1s restart greeter-1 --new-address'] });
    const result = await runScenario(scenario, 1, { timeline: 'always' });
    expect(result.outcome, result.error).toBe('held');
    expect(result.timeline?.marks).toContainEqual({
      at: expect.any(Number),
      node: 'greeter-1',
      label: 'restart (new address)',
    });
    expect(result.timeline?.faults.map((f) => f.label)).toContain('restart greeter-1 --new-address');
    expect(result.timeline?.marks).toContainEqual({
      at: expect.any(Number),
      node: 'greeter-1',
      label: 'new address sim://greeter-1/transport.1~1 (was sim://greeter-1/transport.1)',
    });
  });
});

describe('the nemesis churn', () => {
  const services = { greeter: ['greeter-1', 'greeter-2'], registry: ['registry'] };
  const plan = (spec: object, seed: number) => planNemesis(nemesisSchema.parse(spec), seed, 20_000, services);

  it('restarts targets onto new addresses at seeded times: same seed, same schedule', () => {
    const faults = plan(churn, 1);
    expect(faults.length).toBeGreaterThan(5);
    for (const fault of faults) expect(fault).toMatchObject({ type: 'restart', newAddress: true });
    expect(faults.map((f) => (f as { node: string }).node).every((n) => n.startsWith('greeter-'))).toBe(true);
    expect(plan(churn, 1)).toEqual(faults);
    expect(plan(churn, 2)).not.toEqual(faults);
  });

  it('with a probability moves each target by its own draw, on a gap of its own', () => {
    const faults = plan({ ...churn, churn: { every: '500ms', probability: 1 } }, 1);
    const rounds = new Set(faults.map((f) => f.at));
    expect(faults.length).toBe(2 * rounds.size);
    expect(rounds.size).toBeGreaterThan(plan(churn, 1).length * 2);
  });

  it('moves no other fault: adding churn keeps the rest of the schedule', () => {
    const base = { faults: ['crash', 'pause'], every: '2s', lasting: '300ms', targets: ['greeter'] };
    const without = plan(base, 3);
    const withChurn = plan({ ...base, faults: [...base.faults, 'churn'] }, 3);
    expect(withChurn.filter((f) => f.type !== 'restart')).toEqual(without);
    expect(withChurn.some((f) => f.type === 'restart')).toBe(true);
  });
});

describe('determinism under churn', () => {
  it('the same seed gives the same trace hash; another seed another', async () => {
    const scenario = greetings('churn hash', false, { nemesis: churn });
    const hash = async (seed: number) => (await runScenario(scenario, seed, { timeline: 'never' })).traceHash;
    const first = await hash(4);
    expect(await hash(4)).toBe(first);
    expect(await hash(5)).not.toBe(first);
  });
});

describe('churn input checked before any seed runs', () => {
  const yaml = (lines: string) => `name: churn typo
system:
  module: ${join(import.meta.dirname, 'churn-system.ts')}
  export: churnSystem
workload: [{ op: hello, rate: 20/s }]
${lines}
invariants: [{ name: success-rate, min: 0.9 }]
duration: 2s
`;
  async function run(text: string) {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-churn-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, text);
    const err: string[] = [];
    const code = await main(['run', file, '--report', join(dir, 'reports'), '--workers', '1'], {
      cwd: dir,
      out: () => {},
      err: (s: string) => err.push(s),
    } as never);
    return { code, err: err.join('') };
  }

  it('a restart onto a new address of an unknown node: exit 2 at its line', async () => {
    const { code, err } = await run(
      yaml('faults:\n  - at 1s restart greeter-1 --new-address\n  - at 1s restart orders-9 --new-address'),
    );
    expect(code).toBe(2);
    expect(err).toContain('bad.yaml:8:5: faults[1]: unknown fault target "orders-9"');
  });

  it('a bad churn option: exit 2 at its line, naming the field', async () => {
    const probability = await run(yaml('nemesis:\n  faults: [churn]\n  every: 1s\n  churn: { probability: 1.5 }'));
    expect(probability.code).toBe(2);
    expect(probability.err).toMatch(/bad\.yaml:9:\d+: nemesis\.churn\.probability: expected a probability in \(0, 1\]/);
    const every = await run(yaml('nemesis:\n  faults: [churn]\n  every: 1s\n  churn:\n    every: 0s'));
    expect(every.code).toBe(2);
    expect(every.err).toMatch(/bad\.yaml:10:\d+: nemesis\.churn\.every: expected a duration above 0/);
    const orphan = await run(
      yaml('nemesis:\n  faults: [crash]\n  every: 1s\n  lasting: 100ms\n  churn: { every: 1s }'),
    );
    expect(orphan.code).toBe(2);
    expect(orphan.err).toMatch(/bad\.yaml:10:\d+: nemesis\.churn: expected churn in faults/);
  });

  it('a nemesis every of 0: exit 2 at its line (a zero gap would draw faults for ever)', async () => {
    const { code, err } = await run(yaml('nemesis:\n  faults: [crash]\n  every: 0s\n  lasting: 0s'));
    expect(code).toBe(2);
    expect(err).toMatch(/bad\.yaml:8:\d+: nemesis\.every: expected a duration above 0/);
  });

  it('the one-line form says what it expected after restart', async () => {
    const { code, err } = await run(yaml('faults: [at 1s restart greeter-1 --new-adress]'));
    expect(code).toBe(2);
    expect(err).toContain('restart NODE --new-address');
  });
});

describe('churn in a TypeScript scenario', () => {
  it('takes the typed restart and the churn options, and refuses a bad one naming it', () => {
    const scenario = greetings('typed', false, {
      faults: [{ type: 'restart', node: 'greeter-1', newAddress: true, at: '1s' }],
      nemesis: { ...churn, churn: { every: '2s', probability: 0.5 } },
    });
    expect(scenario.faults).toEqual([{ type: 'restart', node: 'greeter-1', newAddress: true, at: 1_000 }]);
    expect(scenario.nemesis?.churn).toEqual({ every: 2_000, probability: 0.5 });
    expect(() => greetings('bad', false, { nemesis: { ...churn, churn: { probability: 0 } } })).toThrow(
      /nemesis\.churn\.probability.*expected a probability in \(0, 1\]/,
    );
  });
});
