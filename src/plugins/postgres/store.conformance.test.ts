// storeConformance, unchanged, against the PostgreSQL store driver on a real server.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { createStore } from '../../micro/store/store.js';
import { describeBackend } from '../describe-backend.js';
import { postgresStoreDriver } from './store.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

describeBackend('postgres', ({ url }) => {
  // One pool shared by every test; each test works in its own schema.
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 8 });
  });
  afterAll(() => pool.end());

  // Expiry is decided by the shared store layer on the store's clock: virtual time works.
  storeConformance('postgres', async () => {
    const runtime = manualRuntime();
    const schema = uniqueSchema('store');
    return {
      subject: createStore({ driver: postgresStoreDriver({ pool, schema, runtime }), runtime }),
      advance: (ms) => runtime.advance(ms),
      cleanup: () => dropSchema(pool, schema),
    };
  });
});
