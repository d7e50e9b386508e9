import mysql from 'mysql2/promise';
import { expect, it } from 'vitest';
import { describeBackend } from '../describe-backend.js';
import { mysqlStore, mysqlSync } from './index.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

describeBackend('mysql', ({ url }) => {
  it('mysqlStore and mysqlSync are ready-made store and sync over the drivers', async () => {
    const schema = uniqueSchema('index');
    const store = mysqlStore({ url, schema, database: 'shop', table: 'carts' });
    const sync = mysqlSync({ url, schema, holder: 'worker-1' });
    const admin = mysql.createPool({ uri: url, connectionLimit: 1 });
    try {
      expect(store.scope).toEqual({ database: 'shop', table: 'carts' });
      expect((await store.write({ key: 'cart-1', value: new Uint8Array([1]) })).type).toBe('ok');
      expect((await store.read('cart-1'))?.value).toEqual(new Uint8Array([1]));
      const held = await sync.lock('checkout', { ttlMs: 5_000 });
      expect(held.type === 'acquired' && held.lease.holder).toBe('worker-1');
      if (held.type === 'acquired') await held.lease.release();
    } finally {
      await Promise.all([store.close(), sync.close()]);
      await dropSchema(admin, schema);
      await admin.end();
    }
  });
});
