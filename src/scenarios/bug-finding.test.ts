/**
 * Every built-in invariant, by name in a scenario, against the planted system: it fires on the
 * planted bug within a few seeds and holds on the same scenario without it. Each "fires" test
 * prints how many seeds the hunt took (the figure the issue asks for).
 */
import { describe, expect, it } from 'vitest';
import { plantedSystem, type PlantedOptions } from './planted-system.js';
import { runScenario } from './run.js';
import { defineScenario, type ScenarioInput } from './scenario.js';

type Body = Omit<ScenarioInput<Partial<PlantedOptions>>, 'system' | 'name'>;
const scenario = (name: string, options: Partial<PlantedOptions>, body: Body) =>
  defineScenario({ name, system: plantedSystem, options: options as PlantedOptions, ...body });

/** Run seeds 1..max until the scenario's first invariant is violated; the seed that found it. */
async function hunt(s: ReturnType<typeof scenario>, max: number) {
  for (let seed = 1; seed <= max; seed++) {
    const result = await runScenario(s, seed, { timeline: 'never' });
    if (result.outcome === 'error') throw new Error(result.error);
    const verdict = result.verdicts[0];
    if (verdict && !verdict.holds) {
      console.log(`${verdict.invariant}: found by seed ${seed} of ${max} — ${verdict.violations[0]?.message}`);
      return { seed, violation: verdict.violations[0] };
    }
  }
  return undefined;
}

async function holds(s: ReturnType<typeof scenario>, seeds: number) {
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runScenario(s, seed, { timeline: 'never' });
    if (result.outcome === 'error') throw new Error(result.error);
    expect(result.verdicts.filter((v) => !v.holds).flatMap((v) => v.violations)).toEqual([]);
  }
}

const lockers = {
  duration: '4s',
  faults: ['at 1s crash locks for 100ms', 'at 2s crash locks for 100ms'],
} satisfies Partial<Body>;

describe('at-most-one-leader-per-epoch', () => {
  const s = (tokenReuse: boolean) =>
    scenario('leaders', { lockers: true, tokenReuse }, { ...lockers, invariants: ['at-most-one-leader-per-epoch'] });
  it('fires when a restarted lock service hands out its tokens again', async () => {
    const found = await hunt(s(true), 10);
    expect(found?.violation?.message).toMatch(/epoch \d+ of lock\/job has two leaders/);
    expect(found?.violation?.at).toBeGreaterThan(0);
  });
  it('holds when the tokens are durable', () => holds(s(false), 3));
});

describe('no-stale-fenced-writes', () => {
  const s = (unfenced: boolean) =>
    scenario(
      'fencing',
      { lockers: true, unfenced },
      { duration: '4s', faults: ['at 1s pause @lock-holder for 1s'], invariants: ['no-stale-fenced-writes'] },
    );
  it('fires when a paused lock holder writes blind after its lease ran out', async () => {
    const found = await hunt(s(true), 10);
    expect(found?.violation?.message).toMatch(/micro\/jobs\/job accepted token \d+ from worker-\d/);
  });
  it('holds when the write is a compare-and-set on the revision read', () => holds(s(false), 3));
});

describe('no-lost-acknowledged-writes', () => {
  const s = (writeBehind: boolean) =>
    scenario(
      'lost',
      { writeBehind },
      {
        duration: '3s',
        workload: [
          { op: 'put', rate: '20/s', until: '2s', keys: { count: 2 } },
          { op: 'get', rate: '20/s', from: '2300ms', keys: { count: 2 } },
        ],
        faults: ['at 2s crash api-1 for 100ms'],
        invariants: ['no-lost-acknowledged-writes'],
      },
    );
  it('fires when a put is acknowledged before it is written and the node crashes', async () => {
    const found = await hunt(s(true), 10);
    expect(found?.violation?.message).toMatch(/acknowledged write\(s\) lost/);
  });
  it('holds when a put is acknowledged after the store accepted it', () => holds(s(false), 3));
});

describe('no-duplicate-effects', () => {
  const s = (noDedupe: boolean) =>
    scenario(
      'effects',
      { noDedupe },
      {
        duration: '4s',
        workload: [{ op: 'publish', rate: '10/s', until: '2s' }],
        faults: ['at 200ms loss sub-1 -> broker 0.5 for 2s'],
        invariants: ['no-duplicate-effects'],
      },
    );
  it('fires when a redelivered message (its ack lost) is handled again', async () => {
    const found = await hunt(s(true), 10);
    expect(found?.violation?.message).toMatch(/effect applied more than once/);
  });
  it('holds when the handler deduplicates by message id', () => holds(s(false), 3));
});

describe('delivered-within', () => {
  const s = (atMostOnce: boolean) =>
    scenario(
      'delivery',
      { atMostOnce },
      {
        duration: '6s',
        workload: [{ op: 'publish', rate: '10/s', until: '1s' }],
        faults: ['at 200ms partition [sub-1] from [broker] for 1s'],
        invariants: [{ name: 'delivered-within', ms: 4000 }],
      },
    );
  it('fires when messages are delivered at most once across a partition', async () => {
    const found = await hunt(s(true), 5);
    expect(found?.violation?.message).toMatch(/not delivered in time: jobs\//);
  });
  it('holds when they are redelivered until acknowledged', () => holds(s(false), 3));
});

describe('linearizable', () => {
  const s = (faults: string[]) =>
    scenario(
      'linearizable',
      {},
      {
        duration: '3s',
        workload: [
          { op: 'put', rate: '20/s', keys: { count: 2 } },
          { op: 'get', rate: '40/s', keys: { count: 2 } },
        ],
        faults,
        invariants: ['linearizable'],
      },
    );
  it('fires when reads come from a lagging replica', async () => {
    const found = await hunt(s(['at 500ms lag store by 300ms for 2s']), 5);
    expect(found?.violation?.message).toMatch(/^key key-\d/);
    expect(found?.violation?.at).toBeGreaterThan(0);
  });
  it('holds on the linearizable store', () => holds(s([]), 3));
});

describe('success-rate and latency percentiles', () => {
  const s = (options: Partial<PlantedOptions>, invariant: ScenarioInput<unknown>['invariants'][number]) =>
    scenario('slo', options, { duration: '5s', workload: [{ op: 'req', rate: '40/s' }], invariants: [invariant] });
  it('success-rate fires when a third of the requests fail', async () => {
    const found = await hunt(s({ failRate: 0.3 }, { name: 'success-rate', min: 0.9 }), 3);
    expect(found?.violation?.message).toMatch(/operations succeeded \(\d+\.\d%\), below 90%/);
  });
  it('success-rate holds when none do', () => holds(s({}, { name: 'success-rate', min: 0.9 }), 2));
  it('latency p99 fires when 5% of the requests take 2s', async () => {
    const found = await hunt(s({ slowRate: 0.05 }, { name: 'latency', p: 99, max: '1s' }), 3);
    expect(found?.violation?.message).toMatch(/^p99 latency 200\dms exceeds 1000ms/);
  });
  it('latency is a percentile: p90 holds with the same 5% slow', () =>
    holds(s({ slowRate: 0.05 }, { name: 'latency', p: 90, max: '1s' }), 2));
});
