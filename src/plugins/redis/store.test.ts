import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisStoreDriver } from './store.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  const prefix = uniquePrefix('store');
  let store: Store;
  let plain: Redis;
  beforeAll(() => {
    store = createStore({ driver: redisStoreDriver({ url, prefix }), database: 'shop', table: 'orders' });
    plain = new Redis(url);
  });
  afterAll(async () => {
    await store.close();
    plain.disconnect();
    await dropPrefix(url, prefix);
  });

  it('writes a record that a plain Redis client reads as a hash', async () => {
    const written = await store.write(
      { key: 'order:42', value: new Uint8Array([0, 1, 254, 255]), metadata: { by: 'alice' } },
      { ttlMs: 60_000 },
    );
    expect(written.type).toBe('ok');
    const key = `${prefix}:store:shop:orders:k:order:42`;
    const hash = await plain.hgetallBuffer(key);
    expect([...(hash.value ?? [])]).toEqual([0, 1, 254, 255]);
    expect(JSON.parse(String(hash.metadata))).toEqual({ by: 'alice' });
    expect(Number(String(hash.revision))).toBe(written.type === 'ok' ? written.revision : -1);
    expect(Number(String(hash.expiresAt))).toBeGreaterThan(Date.now());
    expect(await plain.pttl(key)).toBeGreaterThan(59_000);
  });

  it('reads back a record written by a plain Redis client in the same layout', async () => {
    await plain.hset(`${prefix}:store:shop:orders:k:from-outside`, {
      value: 'hello',
      metadata: '{}',
      revision: '7',
    });
    const record = await store.read('from-outside');
    expect(record && new TextDecoder().decode(record.value)).toBe('hello');
    expect(record?.revision).toBe(7);
  });

  it('lets exactly one of many racing compare-and-set writers win', async () => {
    const first = await store.write({ key: 'counter', value: new Uint8Array([0]) });
    const revision = first.type === 'ok' ? first.revision : -1;
    const racers = Array.from({ length: 10 }, (_, i) =>
      store.write({ key: 'counter', value: new Uint8Array([i + 1]) }, { ifRevision: revision }),
    );
    const outcomes = await Promise.all(racers);
    expect(outcomes.filter((o) => o.type === 'ok')).toHaveLength(1);
  });

  it('lists keys whose prefix contains glob characters literally', async () => {
    await store.write({ key: 'a*[x]?1', value: new Uint8Array() });
    await store.write({ key: 'a*[x]?2', value: new Uint8Array() });
    await store.write({ key: 'ab', value: new Uint8Array() });
    expect(await store.list({ prefix: 'a*[x]?' })).toEqual(['a*[x]?1', 'a*[x]?2']);
  });
});
