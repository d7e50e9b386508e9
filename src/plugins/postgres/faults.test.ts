import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMicroError } from '../../micro/errors.js';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { postgresStoreDriver, tableName } from './store.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value);

describeBackend('postgres', ({ url }) => {
  const schema = uniqueSchema('faults');
  let store: Store;
  let admin: pg.Pool;
  beforeAll(() => {
    store = createStore({ driver: postgresStoreDriver({ url, schema }), database: 'shop', table: 'orders' });
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(admin, schema);
    await admin.end();
  });

  it('a backend terminated mid-write fails that write as retryable UNAVAILABLE and loses no acknowledged write', async () => {
    const first = await store.write({ key: 'order-1', value: bytes('kept') });
    expect(first.type).toBe('ok');
    const revision = first.type === 'ok' ? first.revision : -1;

    // Hold the row in another transaction so the store's CAS update is certainly in flight…
    const blocker = await admin.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "${schema}"."${tableName('microcosm', 'shop.orders')}" FOR UPDATE`);
    const inFlight = store.write({ key: 'order-1', value: bytes('changed') }, { ifRevision: revision }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // …then kill the backend that is waiting for it.
    let killed = 0;
    for (let tries = 0; killed === 0 && tries < 100; tries++) {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND query LIKE $1`,
        [`%${schema}%`],
      );
      killed = rows.length;
      if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(killed).toBe(1);
    const failure = await inFlight;
    await blocker.query('ROLLBACK');
    blocker.release();

    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    const record = await store.read('order-1');
    expect([text(record?.value), record?.revision]).toEqual(['kept', revision]);
    // The pool replaced the dead connection: the caller's retry goes through.
    expect((await store.write({ key: 'order-1', value: bytes('changed') }, { ifRevision: revision })).type).toBe('ok');
  });

  it('an unreachable server is a retryable UNAVAILABLE', async () => {
    const nowhere = createStore({ driver: postgresStoreDriver({ url: 'postgres://postgres@127.0.0.1:1/test' }) });
    const failure = await nowhere.read('x').catch((error: unknown) => error);
    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    await nowhere.close();
  });
});
