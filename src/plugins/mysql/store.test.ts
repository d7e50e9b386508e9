import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { mysqlStoreDriver, tableName } from './store.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

it('names a scope table <prefix>_store_<database>.<table>, hashed past 64 characters', () => {
  expect(tableName('microcosm', 'shop.orders')).toBe('microcosm_store_shop.orders');
  const long = tableName('microcosm', `${'d'.repeat(64)}.${'t'.repeat(64)}`);
  expect(long.length).toBeLessThanOrEqual(64);
  expect(long).not.toBe(tableName('microcosm', `${'d'.repeat(64)}.${'t'.repeat(63)}x`));
});

describeBackend('mysql', ({ url }) => {
  const schema = uniqueSchema('store');
  const orders = `\`${schema}\`.\`microcosm_store_shop.orders\``;
  let store: Store;
  let plain: mysql.Pool;
  beforeAll(() => {
    store = createStore({ driver: mysqlStoreDriver({ url, schema }), database: 'shop', table: 'orders' });
    plain = mysql.createPool({ uri: url, connectionLimit: 1 });
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
    const [rows] = await plain.query<mysql.RowDataPacket[]>(
      `SELECT value, metadata, revision, expires_at FROM ${orders} WHERE \`key\` = ?`,
      ['order:42'],
    );
    expect([...(rows[0]?.value ?? [])]).toEqual([0, 1, 254, 255]);
    expect(JSON.parse(rows[0]?.metadata)).toEqual({ by: 'alice' });
    expect(Number(rows[0]?.revision)).toBe(written.type === 'ok' ? written.revision : -1);
    expect(Number(rows[0]?.expires_at)).toBeGreaterThan(Date.now());
  });

  it('reads a row inserted with plain SQL', async () => {
    await store.write({ key: 'seed', value: new Uint8Array() }); // creates the table
    await plain.query(`INSERT INTO ${orders} (\`key\`, value, metadata, revision) VALUES (?, ?, '{}', 999)`, [
      'from-sql',
      Buffer.from('hello'),
    ]);
    const record = await store.read('from-sql');
    expect([new TextDecoder().decode(record?.value), record?.revision]).toEqual(['hello', 999]);
  });

  it('keeps the longest key, 1024 three-byte characters, and scans it by prefix', async () => {
    const key = '語'.repeat(1024);
    expect((await store.write({ key, value: new Uint8Array([1]) })).type).toBe('ok');
    expect((await store.read(key))?.value).toEqual(new Uint8Array([1]));
    expect(await store.list({ prefix: '語語' })).toEqual([key]);
  });

  it('lists a prefix by byte range: a LIKE wildcard in a key is just a character', async () => {
    for (const key of ['a%b', 'a%c', 'axb', 'a_b']) await store.write({ key, value: new Uint8Array() });
    expect(await store.list({ prefix: 'a%' })).toEqual(['a%b', 'a%c']);
    expect(await store.list({ prefix: 'a_' })).toEqual(['a_b']);
  });

  it('sweeps rows that expired more than the grace ago when it scans them', async () => {
    await plain.query(
      `INSERT INTO ${orders} (\`key\`, value, metadata, revision, expires_at) VALUES ('old', '', '{}', 1, ?)`,
      [Date.now() - 60_000],
    );
    expect(await store.list({ prefix: 'old' })).toEqual([]);
    const [rows] = await plain.query<mysql.RowDataPacket[]>(`SELECT 1 FROM ${orders} WHERE \`key\` = 'old'`);
    expect(rows).toHaveLength(0);
  });
});
