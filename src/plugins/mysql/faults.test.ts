import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMicroError } from '../../micro/errors.js';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { mysqlStoreDriver } from './store.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value);

describeBackend('mysql', ({ url }) => {
  const schema = uniqueSchema('faults');
  let store: Store;
  let admin: mysql.Pool;
  beforeAll(() => {
    store = createStore({ driver: mysqlStoreDriver({ url, schema }), database: 'shop', table: 'orders' });
    admin = mysql.createPool({ uri: url, connectionLimit: 2 });
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(admin, schema);
    await admin.end();
  });

  it('a connection killed mid-write fails that write as retryable UNAVAILABLE and loses no acknowledged write', async () => {
    const first = await store.write({ key: 'order-1', value: bytes('kept') });
    expect(first.type).toBe('ok');
    const revision = first.type === 'ok' ? first.revision : -1;

    // Hold the row in another transaction so the store's CAS update is certainly in flight…
    const blocker = await admin.getConnection();
    await blocker.beginTransaction();
    await blocker.query(`SELECT 1 FROM \`${schema}\`.\`microcosm_store_shop.orders\` FOR UPDATE`);
    const inFlight = store.write({ key: 'order-1', value: bytes('changed') }, { ifRevision: revision }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // …then kill the connection that is waiting for it.
    let killed = 0;
    for (let tries = 0; killed === 0 && tries < 100; tries++) {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        `SELECT ID FROM information_schema.PROCESSLIST
         WHERE ID <> CONNECTION_ID() AND INFO LIKE 'UPDATE%' AND INFO LIKE ?`,
        [`%${schema}%`],
      );
      for (const row of rows) await admin.query(`KILL ${Number(row.ID)}`);
      killed = rows.length;
      if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(killed).toBe(1);
    const failure = await inFlight;
    await blocker.rollback();
    blocker.release();

    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    const record = await store.read('order-1');
    expect([text(record?.value), record?.revision]).toEqual(['kept', revision]);
    // The pool replaced the dead connection: the caller's retry goes through.
    expect((await store.write({ key: 'order-1', value: bytes('changed') }, { ifRevision: revision })).type).toBe('ok');
  });

  it('an unreachable server is a retryable UNAVAILABLE', async () => {
    const nowhere = createStore({ driver: mysqlStoreDriver({ url: 'mysql://root@127.0.0.1:1/test' }) });
    const failure = await nowhere.read('x').catch((error: unknown) => error);
    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    await nowhere.close();
  });
});
