// The shared conformance suites, unchanged, against the PostgreSQL plugins on a real server.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { syncConformance } from '../../conformance/sync.js';
import { createStore } from '../../micro/store/store.js';
import { createSync } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { describeBackend } from '../describe-backend.js';
import { postgresLockDriver } from './lock.js';
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

  // Leases expire on the database's clock: real time, short leases.
  syncConformance(
    'postgres',
    async () => {
      const schema = uniqueSchema('sync');
      const clients: Sync[] = [];
      return {
        subject: {
          // Each client is a separate process: its own driver (over the shared pool).
          client(name) {
            const sync = createSync(postgresLockDriver({ pool, schema }), { holder: name });
            clients.push(sync);
            return sync;
          },
        },
        cleanup: async () => {
          for (const sync of clients) await sync.close();
          await dropSchema(pool, schema);
        },
      };
    },
    { realTtlMs: 150 },
  );
});
