// syncConformance, unchanged, against the MariaDB / MySQL lease driver on a real server.
import mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { syncConformance } from '../../conformance/sync.js';
import { createSync } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { describeBackend } from '../describe-backend.js';
import { mysqlLockDriver } from './lock.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

describeBackend('mysql', ({ url }) => {
  // One pool shared by every test; each test works in its own schema.
  let pool: mysql.Pool;
  beforeAll(() => {
    pool = mysql.createPool({ uri: url, connectionLimit: 8 });
  });
  afterAll(() => pool.end());

  // Leases expire on the database's clock: real time, short leases.
  syncConformance(
    'mysql',
    async () => {
      const schema = uniqueSchema('sync');
      const clients: Sync[] = [];
      return {
        subject: {
          // Each client is a separate process: its own driver (over the shared pool).
          client(name) {
            const sync = createSync(mysqlLockDriver({ pool, schema }), { holder: name });
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
    { realTtlMs: 250 },
  );
});
