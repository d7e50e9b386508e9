import { simTest } from '@microcosm-ts/core/vitest';
import { describe, expect } from 'vitest';
import { type Balance, setupLedger } from './ledger.js';

/** Two ledger replicas and an audit service that hears every deposit. */
const heard: string[] = [];
const system = {
  services: {
    ledger: { replicas: 2, setup: setupLedger },
    audit: (service: Parameters<typeof setupLedger>[0]) =>
      void service.subscribe<{ account: string; amount: number }>(
        'deposits',
        (d) => void heard.push(`${d.account}+${d.amount}`),
      ),
  },
};

describe('ledger, with the simTest preset (one fault each)', () => {
  simTest('a deposit is served by the other replica while one is partitioned away', system, async ({ cluster }) => {
    cluster.sim.net.partition(['client'], ['ledger-1']);
    for (let i = 0; i < 3; i++) {
      const reply = await cluster.client.call<Balance>(
        'ledger',
        'Ledger.Deposit',
        { account: 'alice', amount: 10 },
        { attemptTimeoutMs: 100 },
      );
      expect(reply.balance).toBe(10 * (i + 1));
    }
  });

  simTest('a published deposit reaches the audit service through a latency spike', system, async ({ cluster }) => {
    heard.length = 0;
    cluster.sim.net.latency('broker', 'audit-1', { type: 'constant', ms: 250 });
    await cluster.client.call('ledger', 'Ledger.Deposit', { account: 'bob', amount: 5 });
    expect(heard).toEqual([]);
    await cluster.advance(300);
    expect(heard).toEqual(['bob+5']);
  });

  simTest('a deposit waits out the lease of a holder that crashed without releasing', system, async ({ cluster }) => {
    const holder = cluster.service('ledger-2');
    const held = await cluster.settle(holder.sync?.lock('account:carol', { ttlMs: 300 }) ?? Promise.reject());
    expect(held.type).toBe('acquired');
    cluster.sim.crash('ledger-2');
    const started = cluster.sim.now;
    const reply = await cluster.client.call<Balance>(
      'ledger',
      'Ledger.Deposit',
      { account: 'carol', amount: 7 },
      { timeoutMs: 3_000, attemptTimeoutMs: 1_500 },
    );
    expect(reply.balance).toBe(7);
    expect(cluster.sim.now - started).toBeGreaterThanOrEqual(250);
  });

  simTest(
    'a store write fails cleanly while the store node is down, and nothing is lost after it restarts',
    system,
    async ({ cluster }) => {
      await cluster.client.call('ledger', 'Ledger.Deposit', { account: 'dave', amount: 1 });
      cluster.sim.crash('store');
      await expect(
        cluster.client.call(
          'ledger',
          'Ledger.Deposit',
          { account: 'dave', amount: 1 },
          { timeoutMs: 2_500, retries: 0 },
        ),
      ).rejects.toMatchObject({ code: 'TIMEOUT' });
      cluster.sim.restart('store');
      await cluster.advance(10);
      const balance = await cluster.client.call<Balance>('ledger', 'Ledger.Balance', { account: 'dave' });
      expect(balance.balance).toBe(1);
    },
  );

  simTest.seeds(5)('balances add up over many seeds', system, async ({ cluster }) => {
    const deposits = [3, 4, 5];
    await Promise.all(
      deposits.map((amount) =>
        cluster.client.call('ledger', 'Ledger.Deposit', { account: 'erin', amount }, { timeoutMs: 4_000 }),
      ),
    );
    const balance = await cluster.client.call<Balance>('ledger', 'Ledger.Balance', { account: 'erin' });
    expect(balance.balance).toBe(12);
  });
});
