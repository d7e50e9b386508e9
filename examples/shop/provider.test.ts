import { join } from 'node:path';
import { loadScenarioFile, runScenario, type Scenario } from '@microcosm-ts/core/sim';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../../src/report/html.js';
import { createLedger } from './ledger.js';
import { PROVIDER_URL, providerHandlers } from './provider.js';

const scenarios = join(import.meta.dirname, '..', '..', 'scenarios');

describe('the shop charging through the msw-backed card processor', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = (await loadScenarioFile(join(scenarios, 'payment-provider-faults.yaml')))[0] as Scenario;
  });

  it('charges no order twice while the processor is slow and then partitioned', async () => {
    const result = await runScenario(scenario, 1);
    expect(result.verdicts.map((v) => [v.invariant, v.holds])).toEqual([
      ['no-double-charge', true],
      ['no-oversell', true],
    ]);
    expect(result.operations.ok).toBeGreaterThan(20);
  });

  it('replays: same seed, same trace hash', async () => {
    const [a, b] = [await runScenario(scenario, 2), await runScenario(scenario, 2)];
    expect(a.traceHash).toBe(b.traceHash);
  });

  it("draws the processor's lane and the messages the partition dropped on the timeline", async () => {
    const result = await runScenario(scenario, 1, { timeline: 'always' });
    const timeline = result.timeline;
    expect(timeline?.nodes).toContain('http:payments-provider');
    const partition = result.faults.find((f) => f.type === 'partition');
    const dropped = timeline?.messages.filter(
      (m) =>
        m.outcome === 'dropped' &&
        m.to === 'http:payments-provider' &&
        partition !== undefined &&
        m.sentAt >= partition.at,
    );
    expect(dropped?.length).toBeGreaterThan(0);
    expect(formatHtml(result)).toContain('http:payments-provider');
  });
});

describe('the same handlers outside a simulation (msw setupServer)', () => {
  const ledger = createLedger({});
  const server = setupServer(...providerHandlers(ledger, { chargeMs: 0 }));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  const charge = (key: string | null) =>
    fetch(`${PROVIDER_URL}/v1/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify({ orderId: 'order-1', amount: 25 }),
    });

  it('charges once per idempotency key and replays the first charge on a retry', async () => {
    const first = await charge('order-1');
    const retry = await charge('order-1');
    expect([first.status, retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 200, 'true']);
    expect(await retry.json()).toEqual(await first.json());
    expect(ledger.charges.get('order-1')).toBe(1);
  });

  it('refuses a charge without an idempotency key', async () => {
    expect((await charge(null)).status).toBe(400);
  });
});
