// storeConformance, unchanged, against the MariaDB / MySQL store driver on a real server.
import mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { createStore } from '../../micro/store/store.js';
import { describeBackend } from '../describe-backend.js';
import { mysqlStoreDriver } from './store.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

describeBackend('mysql', ({ url }) => {
  // One pool shared by every test; each test works in its own schema.
  let pool: mysql.Pool;
  beforeAll(() => {
    pool = mysql.createPool({ uri: url, connectionLimit: 8 });
  });
  afterAll(() => pool.end());

  // Expiry is decided by the shared store layer on the store's clock: virtual time works.
  storeConformance('mysql', async () => {
    const runtime = manualRuntime();
    const schema = uniqueSchema('store');
    return {
      subject: createStore({ driver: mysqlStoreDriver({ pool, schema, runtime }), runtime }),
      advance: (ms) => runtime.advance(ms),
      cleanup: () => dropSchema(pool, schema),
    };
  });
});
