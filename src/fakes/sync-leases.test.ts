/**
 * The lock fake under faults: leases behave as they do in a real lease system, so a holder can
 * go on believing it holds a lease the service has already handed on — and only fencing tokens
 * keep the protected resource safe.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FencedResource, fencedResource, findStaleWrite } from '../micro/sync/fenced.js';
import type { Lease } from '../micro/sync/types.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { connect, serve } from './remote.js';
import { hostLocks, syncClient } from './sync.js';

let sim: Sim;
afterEach(() => sim?.dispose());

const TTL = 1_000;

/** Locks on `locks`, a resource on `storage`, and two workers that write under the lock. */
async function world(fenced: boolean) {
  sim = createSim({ seed: 3 });
  hostLocks(sim);
  const resource: FencedResource<string> = fencedResource();
  sim.node('storage', (ctx) =>
    serve(ctx, 'storage', {
      write: ([token, value, writer]) =>
        fenced
          ? resource.write(token as number, value as string, writer as string)
          : resource.writeUnfenced(token as number, value as string, writer as string),
    }),
  );
  const nodes: Record<string, NodeContext> = {};
  for (const name of ['w1', 'w2']) sim.node(name, (ctx) => void (nodes[name] = ctx));
  await sim.runFor(0);
  /** Take the lock and write once, checking the lease right before the write, as careful code does. */
  const work = (name: string) =>
    sim.exec(name, async (ctx) => {
      const result = await syncClient(ctx).lock('job', { ttlMs: TTL, waitMs: 10 * TTL });
      if (result.type !== 'acquired') throw new Error(`${name} did not get the lock`);
      if (result.lease.signal.aborted) return result.lease;
      void connect(ctx, 'storage', 'storage', { timeoutMs: 20 * TTL })
        .call('write', result.lease.token, `written by ${name}`, name)
        .catch(() => {});
      return result.lease;
    });
  return { resource, nodes, work };
}

describe('sync fake: leases under faults', () => {
  for (const fenced of [false, true]) {
    it(`a write delayed past the lease is ${fenced ? 'fenced off' : 'applied late, clobbering the successor'}`, async () => {
      const { resource, work } = await world(fenced);
      sim.net.hold('w1', 'storage'); // w1's write will sit in the network
      await work('w1');
      await sim.runFor(2 * TTL); // w1's lease expires at the lock service
      await work('w2');
      await sim.runFor(10);
      sim.net.release('w1', 'storage'); // the stale write finally arrives
      await sim.runFor(10);
      const stale = findStaleWrite(resource.history);
      if (fenced) {
        expect(stale).toBeUndefined();
        expect(resource.value).toBe('written by w2');
        expect(resource.history.at(-1)).toMatchObject({ writer: 'w1', accepted: false });
      } else {
        expect(stale?.later).toMatchObject({ writer: 'w1', token: 1 });
        expect(resource.value).toBe('written by w1');
      }
    });
  }

  it('a holder cut off from the lock service stops believing before the service hands the lease on', async () => {
    const { work } = await world(true);
    const lease: Lease = await work('w1');
    sim.net.partition(['w1'], ['locks']);
    const next = work('w2');
    await sim.runFor(TTL / 2);
    expect(lease.signal.aborted).toBe(false);
    const successor = await next;
    const lostAt = sim.trace.find((e) => e.type === 'sync.lost' && e.node === 'w1')?.time;
    const grantedAt = sim.trace.find((e) => e.type === 'sync.grant' && (e as { token?: number }).token === 2)?.time;
    expect(lease.signal.aborted).toBe(true);
    expect(successor.token).toBeGreaterThan(lease.token);
    expect(lostAt).toBeDefined();
    expect(lostAt!).toBeLessThanOrEqual(grantedAt!);
  });

  it('a paused holder still believes it holds the lease after the service granted it to another', async () => {
    const { work } = await world(true);
    const lease: Lease = await work('w1');
    sim.pause('w1'); // a stop-the-world stall: w1's timers cannot fire
    const successor = await work('w2');
    expect(successor.token).toBeGreaterThan(lease.token);
    expect(lease.signal.aborted).toBe(false); // two holders believe, only fencing tells them apart
    sim.resume('w1');
    await sim.runFor(1);
    expect(lease.signal.aborted).toBe(true);
    expect(await lease.lost).toEqual({ type: 'expired' });
  });

  it('a holder whose clock runs slow keeps believing past the grant to its successor', async () => {
    const { work } = await world(true);
    sim.drift('w1', 0.5); // w1's clock runs at half speed, so its lease timer fires late
    const lease: Lease = await work('w1');
    sim.net.partition(['w1'], ['locks']);
    const successor = await work('w2');
    expect(successor.token).toBeGreaterThan(lease.token);
    expect(lease.signal.aborted).toBe(false);
  });

  it('a restarted lock service forgets its leases but never reissues a fencing token', async () => {
    const { work } = await world(true);
    const before: Lease = await work('w1');
    sim.crash('locks');
    sim.restart('locks');
    await sim.runFor(1);
    const after: Lease = await work('w2');
    expect(after.token).toBeGreaterThan(before.token);
  });

  it('a leader cut off from the lock service steps down before another candidate is elected', async () => {
    sim = createSim({ seed: 4 });
    hostLocks(sim);
    for (const name of ['n1', 'n2'])
      sim.node(name, async (ctx) => {
        await syncClient(ctx).elect('scheduler', { candidate: name, leaseMs: TTL });
      });
    await sim.runFor(10 * TTL); // n1 leads, renewing its lease
    const elected = () => sim.trace.filter((e) => e.type === 'sync.elected');
    expect(elected().map((e) => e.node)).toEqual(['n1']);
    sim.net.partition(['n1'], ['locks']);
    await sim.runFor(3 * TTL);
    const lost = sim.trace.find((e) => e.type === 'sync.leader-lost' && e.node === 'n1');
    const successor = elected().find((e) => e.node === 'n2');
    expect(lost).toMatchObject({ reason: 'expired' });
    expect(successor).toBeDefined();
    expect(lost!.time).toBeLessThanOrEqual(successor!.time);
    const tokens = elected().map((e) => (e as { token?: number }).token!);
    expect(tokens[1]).toBeGreaterThan(tokens[0]!);
  });
});
