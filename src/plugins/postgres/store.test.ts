import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { postgresStoreDriver, tableName } from './store.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

it('names a scope table <prefix>_store_<database>.<table>, hashed past 63 bytes', () => {
  expect(tableName('microcosm', 'shop.orders')).toBe('microcosm_store_shop.orders');
  const long = tableName('microcosm', `${'d'.repeat(64)}.${'t'.repeat(64)}`);
  expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
  expect(long).not.toBe(tableName('microcosm', `${'d'.repeat(64)}.${'t'.repeat(63)}x`));
});

describeBackend('postgres', ({ url }) => {
  const schema = uniqueSchema('store');
  let store: Store;
  let plain: pg.Pool;
  beforeAll(() => {
    store = createStore({ driver: postgresStoreDriver({ url, schema }), database: 'shop', table: 'orders' });
    plain = new pg.Pool({ connectionString: url, max: 1 });
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(plain, schema);
    await plain.end();
  });

  it('writes a row that plain SQL reads back', async () => {
    const written = await store.write(
      { key: 'order:42', value: new Uint8Array([0, 1, 254, 255]), metadata: { by: 'alice' } },
      { ttlMs: 60_000 },
    );
    const { rows } = await plain.query(
      `SELECT value, metadata, revision, expires_at FROM "${schema}"."microcosm_store_shop.orders" WHERE key = $1`,
      ['order:42'],
    );
    expect([...(rows[0]?.value ?? [])]).toEqual([0, 1, 254, 255]);
    expect(rows[0]?.metadata).toEqual({ by: 'alice' });
    expect(Number(rows[0]?.revision)).toBe(written.type === 'ok' ? written.revision : -1);
    expect(Number(rows[0]?.expires_at)).toBeGreaterThan(Date.now());
  });

  it('reads a row inserted with plain SQL', async () => {
    await store.write({ key: 'seed', value: new Uint8Array() }); // creates the table
    await plain.query(
      `INSERT INTO "${schema}"."microcosm_store_shop.orders" (key, value, metadata, revision) VALUES ($1, $2, '{}', 999)`,
      ['from-sql', Buffer.from('hello')],
    );
    const record = await store.read('from-sql');
    expect([new TextDecoder().decode(record?.value), record?.revision]).toEqual(['hello', 999]);
  });
});
