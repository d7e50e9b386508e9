import { join } from 'node:path';
import { loadScenarioFile, runScenario, type Scenario } from '@microcosm-ts/core/sim';
import { beforeAll, describe, expect, it } from 'vitest';

const file = join(import.meta.dirname, '..', '..', 'scenarios', 'gateway-burst.yaml');

describe('the shop behind its HTTP door, in the simulator', () => {
  let burst: Scenario;
  beforeAll(async () => {
    burst = (await loadScenarioFile(file))[0] as Scenario;
  });

  it('refuses the excess of a 60/s burst with 429 and never admits more than 20/s, through a partition', async () => {
    const result = await runScenario(burst, 1);
    expect(result.verdicts.map((v) => [v.invariant, v.holds])).toEqual([
      ['no-oversell', true],
      ['no-double-charge', true],
      ['rate-limit-holds', true],
    ]);
    // 240 offered over 4 s; the bucket (10 + 20/s) admits under 100, the partition fails some of those.
    expect(result.operations.fail).toBeGreaterThan(120);
    expect(result.operations.ok).toBeGreaterThan(40);
    expect(result.operations.ok).toBeLessThan(130);
    expect((await runScenario(burst, 1)).traceHash).toBe(result.traceHash);
  }, 90_000);

  it('rate-limit-holds fails when the door limits nothing', async () => {
    const open: Scenario = {
      ...burst,
      systemOptions: { ...(burst.systemOptions as object), ratePerSecond: 1000, rateBurst: 1000 },
      durationMs: 1_000,
    };
    const result = await runScenario(open, 1);
    const verdict = result.verdicts.find((v) => v.invariant === 'rate-limit-holds');
    expect(verdict?.holds).toBe(false);
    expect(verdict?.violations[0]?.message).toMatch(/none of \d+ requests was rate-limited/);
  }, 60_000);
});
