/**
 * cacheConformance: the executable contract of {@link Cache} (see `src/micro/cache/types.ts`).
 *
 *   cacheConformance('redis', async () => ({ subject: redisCache(…), cleanup }));
 *
 * With `advance` the TTL tests run in virtual time and check the exact boundary; without,
 * they sleep `realTtlMs` (and twice that) for real.
 */
import { describe, expect } from 'vitest';
import type { Cache } from '../micro/cache/types.js';
import { expectBadRequest } from './store.js';
import { announceUnsupported, type Factory, itWhen, type Time, timeOf, type Unsupported, using } from './support.js';

/** `exactTtlBoundary`: calls take no time on the cache's clock (see the store suite). */
export type CacheCapability = 'exactTtlBoundary' | 'largeValues';

export interface CacheConformanceOptions {
  /** Capabilities this backend does not offer, each with the reason. Default: none. */
  readonly unsupported?: Unsupported<CacheCapability>;
  /** TTL used when the harness has no `advance` (real time). Default: 300 ms. */
  readonly realTtlMs?: number;
}

export function cacheConformance(name: string, factory: Factory<Cache>, options: CacheConformanceOptions = {}): void {
  const unsupported = options.unsupported ?? {};
  const realTtlMs = options.realTtlMs ?? 300;
  type Body = (cache: Cache, time: Time) => Promise<void>;
  const declare = (flag?: CacheCapability) => (title: string, body: Body) =>
    itWhen(unsupported, flag)(title, (context) => using(factory, (h) => body(h.subject, timeOf(h, context))));
  const plain = declare();
  const ttlOf = (time: Time) => (time.virtual ? 500 : realTtlMs);
  const pastTtl = (time: Time) => (time.virtual ? 500 : realTtlMs * 2);

  describe(`cache conformance: ${name}`, () => {
    announceUnsupported(`cache:${name}`, unsupported);

    describe('contract', () => {
      plain('gets what was set, for every kind of JSON value', async (cache) => {
        const values = [null, true, 0, -1.5, '', 'text', [], [1, 'two', null], { nested: { list: [{ a: 1 }] } }];
        for (const [i, value] of values.entries()) await cache.set(`k${i}`, value);
        for (const [i, value] of values.entries()) expect(await cache.get(`k${i}`)).toEqual(value);
        expect(await cache.get('missing')).toBeUndefined();
      });

      plain('returns a copy: mutating a set or got value changes nothing cached', async (cache) => {
        const value = { items: [1, 2] };
        await cache.set('k', value);
        value.items.push(3);
        const got = (await cache.get('k')) as { items: number[] };
        expect(got).toEqual({ items: [1, 2] });
        got.items.push(4);
        expect(await cache.get('k')).toEqual({ items: [1, 2] });
      });

      plain('set replaces, delete removes and says whether it did', async (cache) => {
        await cache.set('k', 'one');
        await cache.set('k', 'two');
        expect(await cache.get('k')).toBe('two');
        expect(await cache.delete('k')).toBe(true);
        expect(await cache.get('k')).toBeUndefined();
        expect(await cache.delete('k')).toBe(false);
      });

      plain('unicode keys and values round-trip', async (cache) => {
        await cache.set('ключ/🦊', { 名前: 'テスト', emoji: '👩‍👩‍👧' });
        expect(await cache.get('ключ/🦊')).toEqual({ 名前: 'テスト', emoji: '👩‍👩‍👧' });
      });

      declare('largeValues')('a large value (about 250 KB of JSON) round-trips', async (cache) => {
        const big = Array.from({ length: 2_000 }, (_, i) => `item ${i} ${'x'.repeat(120)}`);
        await cache.set('big', big);
        expect(await cache.get('big')).toEqual(big);
      });
    });

    describe('TTL', () => {
      declare('exactTtlBoundary')('an entry is there until the millisecond its TTL ends', async (cache, time) => {
        if (!time.virtual)
          return time.skip('needs virtual time (the harness has no advance); the coarse TTL test covers real time');
        await cache.set('k', 'v', { ttlMs: 500 });
        await time.advance(499);
        expect(await cache.get('k')).toBe('v');
        await time.advance(1);
        expect(await cache.get('k')).toBeUndefined();
      });

      plain('an entry is there before its TTL and gone after it', async (cache, time) => {
        await cache.set('k', 'v', { ttlMs: ttlOf(time) });
        await time.advance(ttlOf(time) / 2);
        expect(await cache.get('k')).toBe('v');
        await time.advance(pastTtl(time));
        expect(await cache.get('k')).toBeUndefined();
        expect(await cache.delete('k')).toBe(false);
      });

      plain('setting again replaces the TTL', async (cache, time) => {
        await cache.set('k', 'short', { ttlMs: ttlOf(time) });
        await cache.set('k', 'long', { ttlMs: 3_600_000 });
        await time.advance(pastTtl(time));
        expect(await cache.get('k')).toBe('long');
        await cache.set('k', 'forever');
        await time.advance(pastTtl(time));
        expect(await cache.get('k')).toBe('forever');
      });
    });

    describe('bad input gets a clear error and caches nothing', () => {
      plain('an empty key', async (cache) => {
        await expectBadRequest(cache.set('', 1), 'key', 'non-empty');
        await expectBadRequest(cache.get(''), 'key');
        await expectBadRequest(cache.delete(''), 'key');
      });

      plain('values JSON cannot carry, naming where inside the value', async (cache) => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        const bad: [unknown, string][] = [
          [undefined, 'undefined'],
          [{ a: [1, Number.NaN] }, '$.a[1]'],
          [{ when: new Date(0) }, 'Date'],
          [new Map(), 'Map'],
          [{ f: () => 1 }, 'function'],
          [10n, 'bigint'],
          [cyclic, 'cycle'],
        ];
        for (const [value, words] of bad) await expectBadRequest(cache.set('k', value as never), words);
        expect(await cache.get('k')).toBeUndefined();
      });

      plain('a bad TTL', async (cache) => {
        for (const ttlMs of [0, -1, Number.NaN]) await expectBadRequest(cache.set('k', 1, { ttlMs }), 'ttlMs');
        expect(await cache.get('k')).toBeUndefined();
      });
    });
  });
}
