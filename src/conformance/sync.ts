/**
 * syncConformance: the executable contract of {@link Sync} (see `src/micro/sync/types.ts`).
 *
 *   syncConformance('redis', async () => ({ subject: { client: (name) => redisSync(…, name) }, cleanup }));
 *
 * The subject hands out clients that share one lock service, as separate processes would. With
 * `advance` the suite runs in virtual time (T = 1 s); without it, it sleeps for real with short
 * leases (T = `realTtlMs`).
 */
import { describe, expect } from 'vitest';
import type { Sync } from '../micro/sync/types.js';
import { expectMicroError } from './expect.js';
import {
  announceUnsupported,
  type ClientsContext,
  clientsContext,
  type Factory,
  type Harness,
  itWhen,
  type Unsupported,
  using,
} from './support.js';

/** Clients of one lock service. Each call is a new client (a separate process, a separate holder). */
export interface SyncSubject {
  client(name: string): Sync;
}

export type SyncCapability = 'election' | 'cancellation';

export interface SyncConformanceOptions {
  readonly unsupported?: Unsupported<SyncCapability>;
  /** Lease length T when the harness runs on real time. Default: 200 ms. */
  readonly realTtlMs?: number;
}

type Ctx = ClientsContext<Sync>;

export function syncConformance(
  name: string,
  factory: Factory<SyncSubject>,
  options: SyncConformanceOptions = {},
): void {
  const unsupported = options.unsupported ?? {};
  const realT = options.realTtlMs ?? 200;
  const context = (h: Harness<SyncSubject>): Ctx => clientsContext(h, realT);
  const declare = (flag?: SyncCapability) => (title: string, body: (c: Ctx) => Promise<void>) =>
    itWhen(flag ? unsupported : {}, flag ?? 'election')(title, () => using(factory, (h) => body(context(h))));
  const test = declare();
  const election = declare('election');
  const cancellation = declare('cancellation');

  describe(`sync conformance: ${name}`, () => {
    announceUnsupported(`sync:${name}`, unsupported);

    describe('locks', () => {
      test('grants a lease with a positive fencing token; a second locker times out', async ({ a, b, T }) => {
        const first = await a.lock('orders', { ttlMs: 10 * T });
        expect(first.type).toBe('acquired');
        if (first.type !== 'acquired') return;
        expect(first.lease.token).toBeGreaterThan(0);
        expect(first.lease.name).toBe('orders');
        expect(first.lease.signal.aborted).toBe(false);
        expect(await b.lock('orders', { ttlMs: 10 * T })).toEqual({ type: 'timeout' });
      });

      test('unlock frees the name, and the next grant carries a larger token', async ({ a, b, T }) => {
        const tokens: number[] = [];
        for (const client of [a, b, a]) {
          const result = await client.lock('orders', { ttlMs: 10 * T });
          if (result.type !== 'acquired') throw new Error('expected the lock to be free');
          tokens.push(result.lease.token);
          await client.unlock(result.lease);
          expect(result.lease.signal.aborted).toBe(true);
        }
        expect(tokens[1]).toBeGreaterThan(tokens[0]!);
        expect(tokens[2]).toBeGreaterThan(tokens[1]!);
      });

      test('a waiting locker gets the lock as soon as the holder releases it', async ({ a, b, T, pass }) => {
        const held = await a.lock('orders', { ttlMs: 10 * T });
        if (held.type !== 'acquired') throw new Error('expected the lock to be free');
        const waiting = b.lock('orders', { ttlMs: 10 * T, waitMs: 5 * T });
        await pass(T / 10);
        await held.lease.release();
        const result = await waiting;
        expect(result.type).toBe('acquired');
        if (result.type === 'acquired') expect(result.lease.token).toBeGreaterThan(held.lease.token);
      });

      test('a locker that waits less than the lease has left times out', async ({ a, b, T, pass }) => {
        await a.lock('orders', { ttlMs: 10 * T });
        const waiting = b.lock('orders', { ttlMs: T, waitMs: T / 2 });
        await pass(T);
        expect(await waiting).toEqual({ type: 'timeout' });
      });

      test('a lease expires after its TTL: the holder learns it locally and the name is granted again', async (c) => {
        const held = await c.a.lock('orders', { ttlMs: c.T });
        if (held.type !== 'acquired') throw new Error('expected the lock to be free');
        await c.until(() => held.lease.signal.aborted, 'the holder to notice its lease ran out');
        expect(await held.lease.lost).toEqual({ type: 'expired' });
        await c.pass(c.T / 2);
        const next = await c.b.lock('orders', { ttlMs: c.T });
        expect(next.type).toBe('acquired');
        if (next.type === 'acquired') expect(next.lease.token).toBeGreaterThan(held.lease.token);
      });

      test('refresh keeps the lease (same token) past its original TTL', async ({ a, b, T, pass }) => {
        const held = await a.lock('orders', { ttlMs: 2 * T });
        if (held.type !== 'acquired') throw new Error('expected the lock to be free');
        await pass(T);
        const refreshed = await held.lease.refresh();
        expect(refreshed.type).toBe('refreshed');
        await pass(1.5 * T);
        expect(held.lease.signal.aborted).toBe(false);
        expect(await b.lock('orders', { ttlMs: T })).toEqual({ type: 'timeout' });
      });

      test('refreshing a lease that expired and was taken over reports it lost', async (c) => {
        const held = await c.a.lock('orders', { ttlMs: c.T });
        if (held.type !== 'acquired') throw new Error('expected the lock to be free');
        await c.pass(2 * c.T);
        const next = await c.b.lock('orders', { ttlMs: 10 * c.T });
        expect(next.type).toBe('acquired');
        expect(await held.lease.refresh()).toEqual({ type: 'lost' });
        expect(held.lease.signal.aborted).toBe(true);
      });

      test('releasing an expired lease does not free its successor', async (c) => {
        const held = await c.a.lock('orders', { ttlMs: c.T });
        if (held.type !== 'acquired') throw new Error('expected the lock to be free');
        await c.pass(2 * c.T);
        expect((await c.b.lock('orders', { ttlMs: 10 * c.T })).type).toBe('acquired');
        await held.lease.release();
        await held.lease.release();
        expect(await c.client('c').lock('orders', { ttlMs: c.T })).toEqual({ type: 'timeout' });
      });

      test('of many concurrent lockers exactly one wins', async ({ client, T }) => {
        const results = await Promise.all(
          ['c1', 'c2', 'c3', 'c4', 'c5'].map((n) => client(n).lock('orders', { ttlMs: 10 * T })),
        );
        expect(results.filter((r) => r.type === 'acquired')).toHaveLength(1);
      });

      test('concurrent waiters each get the lock in turn, with distinct increasing tokens', async ({ client, T }) => {
        const grants: number[] = [];
        await Promise.all(
          ['w1', 'w2', 'w3', 'w4'].map(async (n) => {
            const result = await client(n).lock('orders', { ttlMs: 10 * T, waitMs: 40 * T });
            if (result.type !== 'acquired') throw new Error(`${n} timed out`);
            grants.push(result.lease.token);
            await result.lease.release();
          }),
        );
        expect(grants).toHaveLength(4);
        expect([...grants].sort((x, y) => x - y)).toEqual(grants);
        expect(new Set(grants).size).toBe(4);
      });

      test('different names are independent, and a lock never contends with an election', async ({ a, b, T }) => {
        expect((await a.lock('orders', { ttlMs: 10 * T })).type).toBe('acquired');
        expect((await b.lock('payments', { ttlMs: 10 * T })).type).toBe('acquired');
        expect((await b.lock('ορδερς.锁', { ttlMs: 10 * T })).type).toBe('acquired');
        if (unsupported.election === undefined) {
          const leadership = await b.elect('orders', { candidate: 'b', leaseMs: 10 * T });
          expect(leadership.candidate).toBe('b');
          await leadership.resign();
        }
      });
    });

    describe('cancellation', () => {
      cancellation(
        'an aborted wait rejects with CANCELLED and leaves no lock behind',
        async ({ a, b, client, T, pass }) => {
          const held = await a.lock('orders', { ttlMs: 10 * T });
          if (held.type !== 'acquired') throw new Error('expected the lock to be free');
          const controller = new AbortController();
          const waiting = b.lock('orders', { ttlMs: 100 * T, waitMs: 50 * T, signal: controller.signal });
          await pass(T / 10);
          controller.abort();
          await expectMicroError(waiting, 'CANCELLED');
          await held.lease.release();
          await pass(T / 2);
          expect((await client('c').lock('orders', { ttlMs: T })).type).toBe('acquired');
        },
      );
    });

    describe('leader election', () => {
      election('elects the first candidate; the next takes over on resign with a larger token', async (c) => {
        const first = await c.a.elect('billing', { candidate: 'a', leaseMs: 2 * c.T });
        expect(await c.a.leader('billing')).toEqual({ candidate: 'a', token: first.token });
        let second: Awaited<ReturnType<Sync['elect']>> | undefined;
        void c.b.elect('billing', { candidate: 'b', leaseMs: 2 * c.T }).then((l) => (second = l));
        await c.pass(c.T / 2);
        expect(second).toBeUndefined();
        await first.resign();
        expect(await first.lost).toEqual({ type: 'resigned' });
        await c.until(() => second !== undefined, 'b to be elected');
        expect(second?.token).toBeGreaterThan(first.token);
        expect((await c.b.leader('billing'))?.candidate).toBe('b');
      });

      election('a leader keeps its term across many lease periods by renewing', async (c) => {
        const leader = await c.a.elect('billing', { candidate: 'a', leaseMs: c.T });
        await c.pass(5 * c.T);
        expect(leader.signal.aborted).toBe(false);
        expect(await c.b.leader('billing')).toEqual({ candidate: 'a', token: leader.token });
      });

      election('when the leader stops renewing, another candidate takes over after the lease', async (c) => {
        const leader = await c.a.elect('billing', { candidate: 'a', leaseMs: c.T });
        let next: Awaited<ReturnType<Sync['elect']>> | undefined;
        void c.b.elect('billing', { candidate: 'b', leaseMs: c.T }).then((l) => (next = l));
        await c.a.close(); // the leader's process goes away without resigning
        expect(leader.signal.aborted).toBe(true);
        await c.until(() => next !== undefined, 'b to take over');
        expect(next?.token).toBeGreaterThan(leader.token);
      });

      election('an aborted campaign rejects with CANCELLED', async (c) => {
        await c.a.elect('billing', { candidate: 'a', leaseMs: 10 * c.T });
        const controller = new AbortController();
        const campaign = c.b.elect('billing', { candidate: 'b', leaseMs: c.T, signal: controller.signal });
        await c.pass(c.T / 10);
        controller.abort();
        await expectMicroError(campaign, 'CANCELLED');
        expect((await c.a.leader('billing'))?.candidate).toBe('a');
      });
    });

    describe('bad input', () => {
      test('rejects bad names, naming them', async ({ a }) => {
        await expectMicroError(a.lock(''), 'BAD_REQUEST', 'lock name', 'empty');
        await expectMicroError(a.lock('two words'), 'BAD_REQUEST', 'two words');
        await expectMicroError(a.lock('x'.repeat(300)), 'BAD_REQUEST', '255');
        await expectMicroError(a.leader(''), 'BAD_REQUEST', 'election');
      });

      test('rejects a bad ttlMs, waitMs, leaseMs or candidate, naming the option', async ({ a }) => {
        await expectMicroError(a.lock('orders', { ttlMs: 0 }), 'BAD_REQUEST', 'ttlMs');
        await expectMicroError(a.lock('orders', { ttlMs: Number.NaN }), 'BAD_REQUEST', 'ttlMs');
        await expectMicroError(a.lock('orders', { waitMs: -1 }), 'BAD_REQUEST', 'waitMs');
        await expectMicroError(a.elect('billing', { candidate: '' }), 'BAD_REQUEST', 'candidate');
        await expectMicroError(a.elect('billing', { candidate: 'a', leaseMs: -5 }), 'BAD_REQUEST', 'leaseMs');
      });

      test('a closed client rejects calls with UNAVAILABLE', async ({ a }) => {
        await a.close();
        await a.close();
        await expectMicroError(a.lock('orders'), 'UNAVAILABLE');
      });
    });
  });
}
