/**
 * storeConformance: the executable contract of {@link Store} (see `src/micro/store/types.ts`).
 * One call declares the suite; run it against memory, the simulated fake and every plugin:
 *
 *   storeConformance('redis', async () => { const store = …; return { subject: store, cleanup } });
 *
 * The factory returns a fresh, isolated store (its own database/table or key prefix) for each
 * test. With `advance` the TTL tests run in virtual time; without, they sleep `realTtlMs`.
 */
import { describe, expect } from 'vitest';
import { isMicroError } from '../micro/errors.js';
import type { Store, StoreRecord } from '../micro/store/types.js';
import { announceUnsupported, type Factory, itWhen, type Time, timeOf, type Unsupported, using } from './support.js';

/**
 * - `exactTtlBoundary`: calls take no time on the store's clock, so a TTL can be checked to the
 *   millisecond (a networked store moves its clock by the latency of each call).
 */
export type StoreCapability = 'exactTtlBoundary' | 'unicodeKeys' | 'largeValues' | 'concurrency';

export interface StoreConformanceOptions {
  /** Capabilities this backend does not offer, each with the reason. Default: none. */
  readonly unsupported?: Unsupported<StoreCapability>;
  /** TTL used when the harness has no `advance` (real time). Default: 300 ms. */
  readonly realTtlMs?: number;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (record: StoreRecord | undefined) => (record ? new TextDecoder().decode(record.value) : undefined);

/** Assert that `promise` rejects with a BAD_REQUEST MicroError whose detail mentions `words`. */
export async function expectBadRequest(promise: Promise<unknown>, ...words: string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isMicroError(error), `expected a MicroError, got ${String(error)}`).toBe(true);
  if (!isMicroError(error)) return;
  expect(error.code).toBe('BAD_REQUEST');
  for (const word of words) expect(error.detail).toContain(word);
}

export function storeConformance(name: string, factory: Factory<Store>, options: StoreConformanceOptions = {}): void {
  const unsupported = options.unsupported ?? {};
  const realTtlMs = options.realTtlMs ?? 300;
  type Body = (store: Store, time: Time) => Promise<void>;
  const declare = (flag?: StoreCapability) => (title: string, body: Body) =>
    itWhen(unsupported, flag)(title, (context) => using(factory, (h) => body(h.subject, timeOf(h, context))));
  const plain = declare();
  const racing = declare('concurrency');
  const needs = declare;

  describe(`store conformance: ${name}`, () => {
    announceUnsupported(`store:${name}`, unsupported);

    describe('contract', () => {
      plain('reads back what was written, with metadata and a positive revision', async (store) => {
        const result = await store.write({ key: 'user/1', value: bytes('ada'), metadata: { kind: 'user' } });
        expect(result.type).toBe('ok');
        const record = await store.read('user/1');
        expect(text(record)).toBe('ada');
        expect(record?.metadata).toEqual({ kind: 'user' });
        expect(record?.revision).toBe(result.type === 'ok' ? result.revision : -1);
        expect(record?.revision).toBeGreaterThan(0);
        expect(record?.expiresAt).toBeUndefined();
        expect(await store.read('user/2')).toBeUndefined();
      });

      plain('keeps a copy: mutating written or read bytes changes nothing stored', async (store) => {
        const value = bytes('abc');
        await store.write({ key: 'k', value });
        value[0] = 0x7a;
        const first = await store.read('k');
        expect(text(first)).toBe('abc');
        first?.value.fill(0x78);
        expect(text(await store.read('k'))).toBe('abc');
      });

      plain('every overwrite gets a greater revision, even across a delete', async (store) => {
        const revisions: number[] = [];
        for (const v of ['a', 'b']) {
          const r = await store.write({ key: 'k', value: bytes(v) });
          if (r.type === 'ok') revisions.push(r.revision);
        }
        expect(await store.delete('k')).toEqual({ type: 'ok', deleted: true });
        const again = await store.write({ key: 'k', value: bytes('c') });
        if (again.type === 'ok') revisions.push(again.revision);
        expect(revisions).toHaveLength(3);
        expect(revisions[1]).toBeGreaterThan(revisions[0] ?? Number.POSITIVE_INFINITY);
        expect(revisions[2]).toBeGreaterThan(revisions[1] ?? Number.POSITIVE_INFINITY);
      });

      plain('delete removes a record and says whether there was one', async (store) => {
        await store.write({ key: 'k', value: bytes('v') });
        expect(await store.delete('k')).toEqual({ type: 'ok', deleted: true });
        expect(await store.read('k')).toBeUndefined();
        expect(await store.delete('k')).toEqual({ type: 'ok', deleted: false });
      });

      plain('lists by prefix and suffix in key order, then offset, then limit', async (store) => {
        for (const key of ['b/2.json', 'a/1.txt', 'b/1.txt', 'b/3.txt', 'c/1.txt']) {
          await store.write({ key, value: bytes(key) });
        }
        expect(await store.list()).toEqual(['a/1.txt', 'b/1.txt', 'b/2.json', 'b/3.txt', 'c/1.txt']);
        expect(await store.list({ prefix: 'b/' })).toEqual(['b/1.txt', 'b/2.json', 'b/3.txt']);
        expect(await store.list({ suffix: '.txt' })).toEqual(['a/1.txt', 'b/1.txt', 'b/3.txt', 'c/1.txt']);
        expect(await store.list({ prefix: 'b/', suffix: '.txt' })).toEqual(['b/1.txt', 'b/3.txt']);
        expect(await store.list({ offset: 1, limit: 2 })).toEqual(['b/1.txt', 'b/2.json']);
        expect(await store.list({ offset: 10 })).toEqual([]);
        expect(await store.list({ limit: 0 })).toEqual([]);
        const records = await store.readMany({ prefix: 'b/', limit: 2 });
        expect(records.map(text)).toEqual(['b/1.txt', 'b/2.json']);
      });

      plain('pages through many keys, each exactly once', async (store) => {
        const keys = Array.from({ length: 120 }, (_, i) => `item-${String(i).padStart(3, '0')}`);
        await Promise.all(keys.map((key) => store.write({ key, value: bytes(key) })));
        const seen: string[] = [];
        for (let offset = 0; ; offset += 25) {
          const page = await store.list({ prefix: 'item-', offset, limit: 25 });
          if (page.length === 0) break;
          seen.push(...page);
        }
        expect(seen).toEqual(keys);
      });

      plain('scopes are disjoint: tables and databases do not see each other', async (store) => {
        const orders = store.withScope({ table: 'orders' });
        const otherDb = store.withScope({ database: 'other', table: 'orders' });
        await store.write({ key: 'k', value: bytes('default') });
        await orders.write({ key: 'k', value: bytes('orders') });
        await otherDb.write({ key: 'k', value: bytes('other') });
        expect(text(await store.read('k'))).toBe('default');
        expect(text(await orders.read('k'))).toBe('orders');
        expect(text(await otherDb.read('k'))).toBe('other');
        expect(orders.scope).toEqual({ database: store.scope.database, table: 'orders' });
        await orders.delete('k');
        expect(text(await store.read('k'))).toBe('default');
        expect(await orders.list()).toEqual([]);
      });
    });

    describe('compare-and-set', () => {
      plain('ifRevision 0 creates only when absent, and a conflict carries the current record', async (store) => {
        const created = await store.write({ key: 'k', value: bytes('first') }, { ifRevision: 0 });
        expect(created.type).toBe('ok');
        const again = await store.write({ key: 'k', value: bytes('second') }, { ifRevision: 0 });
        expect(again.type).toBe('conflict');
        expect(again.type === 'conflict' ? text(again.current) : '').toBe('first');
        expect(text(await store.read('k'))).toBe('first');
      });

      plain('writes with the current revision, and conflicts on a stale one', async (store) => {
        const first = await store.write({ key: 'k', value: bytes('1') });
        const rev1 = first.type === 'ok' ? first.revision : -1;
        const second = await store.write({ key: 'k', value: bytes('2') }, { ifRevision: rev1 });
        expect(second.type).toBe('ok');
        const stale = await store.write({ key: 'k', value: bytes('3') }, { ifRevision: rev1 });
        expect(stale).toMatchObject({
          type: 'conflict',
          current: { revision: second.type === 'ok' ? second.revision : -1 },
        });
        expect(text(await store.read('k'))).toBe('2');
        const missing = await store.write({ key: 'nope', value: bytes('x') }, { ifRevision: rev1 });
        expect(missing).toEqual({ type: 'conflict', current: undefined });
      });

      plain('conditional delete conflicts on a stale revision and deletes on the current one', async (store) => {
        const first = await store.write({ key: 'k', value: bytes('1') });
        const second = await store.write({ key: 'k', value: bytes('2') });
        const stale = await store.delete('k', { ifRevision: first.type === 'ok' ? first.revision : -1 });
        expect(stale.type).toBe('conflict');
        expect(text(await store.read('k'))).toBe('2');
        const done = await store.delete('k', { ifRevision: second.type === 'ok' ? second.revision : -1 });
        expect(done).toEqual({ type: 'ok', deleted: true });
        expect(await store.read('k')).toBeUndefined();
      });

      racing('of writers racing with the same revision, exactly one wins', async (store) => {
        const base = await store.write({ key: 'k', value: bytes('base') });
        const revision = base.type === 'ok' ? base.revision : -1;
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.write({ key: 'k', value: bytes(`w${i}`) }, { ifRevision: revision }),
          ),
        );
        const winners = results.flatMap((r, i) => (r.type === 'ok' ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(text(await store.read('k'))).toBe(`w${winners[0]}`);
      });

      racing('racing creators with ifRevision 0: exactly one creates', async (store) => {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => store.write({ key: 'lock', value: bytes(`c${i}`) }, { ifRevision: 0 })),
        );
        expect(results.filter((r) => r.type === 'ok')).toHaveLength(1);
      });

      racing('increments through CAS retry loops lose no update', async (store) => {
        await store.write({ key: 'counter', value: bytes('0') });
        const increment = async () => {
          for (;;) {
            const current = await store.read('counter');
            const next = Number(text(current)) + 1;
            const r = await store.write(
              { key: 'counter', value: bytes(String(next)) },
              { ifRevision: current?.revision ?? 0 },
            );
            if (r.type === 'ok') return;
          }
        };
        await Promise.all(Array.from({ length: 4 }, () => Promise.all([increment(), increment(), increment()])));
        expect(text(await store.read('counter'))).toBe('12');
      });
    });

    describe('TTL', () => {
      // In virtual time the boundary is exact; on real time the suite allows a margin.
      const short = (time: Time) => (time.virtual ? 1_000 : realTtlMs);
      const past = (time: Time) => (time.virtual ? short(time) : realTtlMs * 2);

      needs('exactTtlBoundary')('a record is visible until the millisecond its TTL ends', async (store, time) => {
        if (!time.virtual)
          return time.skip('needs virtual time (the harness has no advance); the coarse TTL test covers real time');
        await store.write({ key: 'session', value: bytes('s') }, { ttlMs: 1_000 });
        await time.advance(999);
        expect(text(await store.read('session'))).toBe('s');
        await time.advance(1);
        expect(await store.read('session')).toBeUndefined();
      });

      plain('a fractional TTL is accepted (the expiry rounds up to a whole millisecond)', async (store, time) => {
        await store.write({ key: 'session', value: bytes('s') }, { ttlMs: short(time) + 0.5 });
        expect(text(await store.read('session'))).toBe('s');
      });

      plain('a record is visible before its TTL and gone after it', async (store, time) => {
        const ttlMs = short(time);
        await store.write({ key: 'session', value: bytes('s') }, { ttlMs });
        const record = await store.read('session');
        expect(record?.expiresAt).toBeGreaterThan(0);
        await time.advance(ttlMs / 2);
        expect(text(await store.read('session'))).toBe('s');
        await time.advance(past(time));
        expect(await store.read('session')).toBeUndefined();
        expect(await store.list()).toEqual([]);
      });

      plain('an expired record counts as absent for compare-and-set', async (store, time) => {
        const stale = await store.write({ key: 'lease', value: bytes('old') }, { ttlMs: short(time) });
        await time.advance(past(time));
        const stolen = await store.write(
          { key: 'lease', value: bytes('old-holder') },
          { ifRevision: stale.type === 'ok' ? stale.revision : -1 },
        );
        expect(stolen).toEqual({ type: 'conflict', current: undefined });
        const created = await store.write({ key: 'lease', value: bytes('new') }, { ifRevision: 0 });
        expect(created.type).toBe('ok');
        expect(text(await store.read('lease'))).toBe('new');
      });

      plain('overwriting without a TTL makes a record permanent again', async (store, time) => {
        await store.write({ key: 'k', value: bytes('temp') }, { ttlMs: short(time) });
        await store.write({ key: 'k', value: bytes('kept') });
        await time.advance(past(time));
        expect(text(await store.read('k'))).toBe('kept');
        expect((await store.read('k'))?.expiresAt).toBeUndefined();
      });

      plain('expired records drop out of listings while live ones stay', async (store, time) => {
        await store.write({ key: 'a', value: bytes('a') }, { ttlMs: short(time) });
        await store.write({ key: 'b', value: bytes('b') });
        await store.write({ key: 'c', value: bytes('c') }, { ttlMs: 3_600_000 });
        await time.advance(past(time));
        expect(await store.list()).toEqual(['b', 'c']);
        expect(await store.delete('a')).toEqual({ type: 'ok', deleted: false });
      });
    });

    describe('edge cases', () => {
      needs('unicodeKeys')('unicode keys and values round-trip and list by prefix', async (store) => {
        const keys = ['héllo', 'héllo/wörld', '日本語/キー', 'emoji/🦊', 'rtl/שלום', 'spaces and: symbols*?'];
        for (const key of keys) await store.write({ key, value: bytes(`value of ${key}`) });
        for (const key of keys) expect(text(await store.read(key))).toBe(`value of ${key}`);
        expect(await store.list({ prefix: 'héllo' })).toEqual(['héllo', 'héllo/wörld']);
        expect(await store.list({ prefix: 'emoji/' })).toEqual(['emoji/🦊']);
      });

      needs('largeValues')('a 512 KiB value round-trips byte for byte', async (store) => {
        const value = new Uint8Array(512 * 1024).map((_, i) => (i * 31 + 7) % 256);
        await store.write({ key: 'blob', value });
        const record = await store.read('blob');
        expect(record?.value.byteLength).toBe(value.byteLength);
        expect(Buffer.from(record?.value ?? []).equals(Buffer.from(value))).toBe(true);
      });

      plain('an empty value and empty metadata round-trip', async (store) => {
        await store.write({ key: 'empty', value: new Uint8Array(0) });
        const record = await store.read('empty');
        expect(record?.value.byteLength).toBe(0);
        expect(record?.metadata).toEqual({});
      });
    });

    describe('bad input gets a clear error and writes nothing', () => {
      plain('an empty key', async (store) => {
        await expectBadRequest(store.write({ key: '', value: bytes('v') }), 'key', 'non-empty');
        await expectBadRequest(store.read(''), 'key');
        await expectBadRequest(store.delete(''), 'key');
        expect(await store.list()).toEqual([]);
      });

      plain('a value that is not bytes', async (store) => {
        await expectBadRequest(
          store.write({ key: 'k', value: 'text' as unknown as Uint8Array }),
          'value',
          'Uint8Array',
        );
        expect(await store.read('k')).toBeUndefined();
      });

      plain('a bad TTL', async (store) => {
        for (const ttlMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expectBadRequest(store.write({ key: 'k', value: bytes('v') }, { ttlMs }), 'ttlMs');
        }
        expect(await store.read('k')).toBeUndefined();
      });

      plain('a bad revision, offset or limit', async (store) => {
        await expectBadRequest(store.write({ key: 'k', value: bytes('v') }, { ifRevision: -1 }), 'ifRevision');
        await expectBadRequest(store.write({ key: 'k', value: bytes('v') }, { ifRevision: 1.5 }), 'ifRevision');
        await expectBadRequest(store.list({ limit: -1 }), 'limit');
        await expectBadRequest(store.list({ offset: 0.5 }), 'offset');
        expect(await store.read('k')).toBeUndefined();
      });

      plain('metadata that is not all strings', async (store) => {
        await expectBadRequest(
          store.write({ key: 'k', value: bytes('v'), metadata: { n: 1 } as unknown as Record<string, string> }),
          'metadata.n',
        );
      });

      plain('a bad scope name', async (store) => {
        expect(() => store.withScope({ table: 'no spaces' })).toThrow(/table/);
        expect(() => store.withScope({ database: '' })).toThrow(/database/);
      });

      plain('a key longer than the limit', async (store) => {
        await expectBadRequest(store.write({ key: 'x'.repeat(1025), value: bytes('v') }), 'key', '1025');
      });
    });
  });
}
