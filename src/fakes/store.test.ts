import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError } from '../micro/errors.js';
import type { Store } from '../micro/store/types.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { drive } from './driven.js';
import { type Consistency, storeNode } from './store.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value ? new TextDecoder().decode(value) : undefined);

let sim: Sim;
afterEach(() => sim?.dispose());

/** A store node and an `app` node holding a client of it, driven by awaiting. */
async function world(seed = 1, consistency?: Consistency) {
  sim = createSim({ seed });
  const node = storeNode(sim, consistency ? { consistency } : {});
  let app!: NodeContext;
  sim.node('app', (ctx) => {
    app = ctx;
  });
  await sim.runFor(0);
  const driven = drive(sim);
  const store: Store = driven.wrap(node.client(app, { timeoutMs: 500 }));
  return { store, advance: driven.advance, node };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (isMicroError(e) ? e.code : String(e)),
  );

describe('store fake on a simulated network', () => {
  it('times out in virtual time while partitioned from the store, and works again after heal', async () => {
    const { store } = await world();
    await store.write({ key: 'k', value: bytes('before') });
    sim.net.partition(['app'], ['store']);
    const started = sim.now;
    expect(await code(store.write({ key: 'k', value: bytes('during') }))).toBe('TIMEOUT');
    expect(sim.now - started).toBeGreaterThanOrEqual(500);
    sim.net.heal();
    expect(text((await store.read('k'))?.value)).toBe('before');
  });

  it('keeps its records across a crash and restart of the store node', async () => {
    const { store } = await world();
    await store.write({ key: 'order/1', value: bytes('paid') });
    sim.crash('store');
    expect(await code(store.read('order/1'))).toBe('TIMEOUT');
    sim.restart('store');
    expect(text((await store.read('order/1'))?.value)).toBe('paid');
  });

  it("expires records on the store node's clock, whatever the client's clock says", async () => {
    const { store, advance } = await world();
    sim.skew('app', 3_600_000);
    await store.write({ key: 'session', value: bytes('s') }, { ttlMs: 1_000 });
    expect(text((await store.read('session'))?.value)).toBe('s');
    await advance(1_000);
    expect(await store.read('session')).toBeUndefined();
  });

  it('linearizable: a client always reads its own acknowledged write', async () => {
    const { store } = await world(7);
    for (let i = 0; i < 20; i++) {
      await store.write({ key: 'k', value: bytes(String(i)) });
      expect(text((await store.read('k'))?.value)).toBe(String(i));
    }
  });

  it('lagging replica: reads can miss an acknowledged write, but never by more than maxLagMs', async () => {
    const { store, advance } = await world(7, { type: 'lagging-replica', maxLagMs: 200 });
    let stale = 0;
    for (let i = 0; i < 20; i++) {
      await store.write({ key: 'k', value: bytes(String(i)) });
      if (text((await store.read('k'))?.value) !== String(i)) stale++;
      await advance(200);
      expect(text((await store.read('k'))?.value)).toBe(String(i));
    }
    expect(stale).toBeGreaterThan(0);
    // Writes (and CAS) go to the primary, so a stale read's revision makes a CAS conflict, not a lost update.
    const fresh = await store.write({ key: 'k', value: bytes('x') });
    const staleRead = await store.read('k');
    const cas = await store.write({ key: 'k', value: bytes('y') }, { ifRevision: (staleRead?.revision ?? 0) - 1 });
    expect(cas).toMatchObject({ type: 'conflict', current: { revision: fresh.type === 'ok' ? fresh.revision : -1 } });
  });

  it('lagging replica catches up after the store node crashes with changes unapplied', async () => {
    const { store } = await world(3, { type: 'lagging-replica', maxLagMs: 10_000 });
    await store.write({ key: 'k', value: bytes('v') });
    sim.crash('store');
    sim.restart('store');
    expect(text((await store.read('k'))?.value)).toBe('v');
  });

  it('replays: the same seed gives the same trace', async () => {
    const run = async () => {
      const { store } = await world(11, { type: 'lagging-replica', maxLagMs: 50 });
      const seen: (string | undefined)[] = [];
      for (let i = 0; i < 10; i++) {
        await store.write({ key: `k${i % 3}`, value: bytes(String(i)) });
        seen.push(text((await store.read(`k${(i + 1) % 3}`))?.value));
      }
      const hash = sim.traceHash();
      sim.dispose();
      return { seen, hash };
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
  });

  it('shares no bytes with its callers: through the wire or direct, what a caller changes afterwards is not stored', async () => {
    const { store, advance, node } = await world(1, { type: 'lagging-replica', maxLagMs: 0 });
    const direct = node.direct();
    const written = bytes('wire');
    await store.write({ key: 'w', value: written, metadata: { m: 'a' } });
    written.fill(0);
    const directValue = bytes('direct');
    const directMetadata = { m: 'b' };
    await direct.write({ key: 'd', value: directValue, metadata: directMetadata });
    directValue.fill(0);
    directMetadata.m = 'changed';
    await advance(10);
    for (const reader of [store, direct]) {
      for (const record of [await reader.read('w'), await reader.read('d'), ...(await reader.readMany())]) {
        record!.value.fill(0);
        (record!.metadata as Record<string, string>).m = 'changed';
      }
    }
    const seen = async (reader: Store) =>
      Promise.all(
        ['w', 'd'].map(async (key) => [text((await reader.read(key))?.value), (await reader.read(key))?.metadata.m]),
      );
    expect(await seen(store)).toEqual([
      ['wire', 'a'],
      ['direct', 'b'],
    ]);
    expect(await seen(direct)).toEqual([
      ['wire', 'a'],
      ['direct', 'b'],
    ]);
  });
});
