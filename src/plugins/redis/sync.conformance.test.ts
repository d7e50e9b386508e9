// syncConformance, unchanged, against the Redis lock driver on a real server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { syncConformance } from '../../conformance/sync.js';
import { createSync } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisLockDriver } from './lock.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(url);
  });
  afterAll(() => client.quit());

  // Leases expire on the Redis server's clock: real time, short leases.
  syncConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('sync');
      const clients: Sync[] = [];
      return {
        subject: {
          // Each client is a separate process: its own driver (over the shared connection).
          client(name) {
            const sync = createSync(redisLockDriver({ client, prefix }), { holder: name });
            clients.push(sync);
            return sync;
          },
        },
        cleanup: async () => {
          for (const sync of clients) await sync.close();
          await dropPrefix(url, prefix);
        },
      };
    },
    { realTtlMs: 250 },
  );
});
