import { describe, expect, it } from 'vitest';
import { manualRuntime } from '../testing/manual-runtime.js';
import { MemoryStoreDriver } from './memory.js';
import { createStore } from './store.js';

const scope = { database: 'micro', table: 'micro' };
const bytes = (s: string) => new TextEncoder().encode(s);

describe('memory store driver', () => {
  it('with a clock, drops expired records as it meets them, so a long run does not pile up dead ones', async () => {
    const runtime = manualRuntime();
    const driver = new MemoryStoreDriver(runtime.clock);
    const store = createStore({ driver, runtime });
    for (let i = 0; i < 50; i++) await store.write({ key: `session/${i}`, value: bytes('s') }, { ttlMs: 100 });
    await store.write({ key: 'kept', value: bytes('k') });
    expect(driver.size(scope)).toBe(51);
    await runtime.advance(100);
    expect(await store.list()).toEqual(['kept']);
    expect(driver.size(scope)).toBe(1);
  });

  it('without a clock, keeps them and leaves expiry to the shared layer', async () => {
    const runtime = manualRuntime();
    const driver = new MemoryStoreDriver();
    const store = createStore({ driver, runtime });
    await store.write({ key: 'a', value: bytes('a') }, { ttlMs: 10 });
    await runtime.advance(10);
    expect(await store.read('a')).toBeUndefined();
    expect(driver.size(scope)).toBe(1);
    expect((await store.write({ key: 'a', value: bytes('b') }, { ifRevision: 0 })).type).toBe('ok');
  });
});
