import { expect, it } from 'vitest';
import { describeBackend } from '../describe-backend.js';
import { redisStore, redisSync } from './index.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  it('redisStore and redisSync are ready-made store and sync over the drivers', async () => {
    const prefix = uniquePrefix('index');
    const store = redisStore({ url, prefix, database: 'shop', table: 'carts' });
    const sync = redisSync({ url, prefix, holder: 'worker-1' });
    try {
      expect(store.scope).toEqual({ database: 'shop', table: 'carts' });
      expect((await store.write({ key: 'cart-1', value: new Uint8Array([1]) })).type).toBe('ok');
      expect((await store.read('cart-1'))?.value).toEqual(new Uint8Array([1]));
      const held = await sync.lock('checkout', { ttlMs: 5_000 });
      expect(held.type === 'acquired' && held.lease.holder).toBe('worker-1');
      if (held.type === 'acquired') await held.lease.release();
    } finally {
      await Promise.all([store.close(), sync.close()]);
      await dropPrefix(url, prefix);
    }
  });
});
