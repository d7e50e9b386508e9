// The shared conformance suites, unchanged, against the Redis plugins on a real server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { brokerConformance } from '../../conformance/broker.js';
import { cacheConformance } from '../../conformance/cache.js';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { syncConformance } from '../../conformance/sync.js';
import type { Broker } from '../../micro/broker/types.js';
import { createStore } from '../../micro/store/store.js';
import { createSync } from '../../micro/sync/sync.js';
import type { Sync } from '../../micro/sync/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisBroker } from './broker.js';
import { redisCache } from './cache.js';
import { redisLockDriver } from './lock.js';
import { redisStoreDriver } from './store.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  // One connection shared by every test; each test writes under its own key prefix.
  let client: Redis;
  beforeAll(() => {
    client = new Redis(url);
  });
  afterAll(() => client.quit());

  // Expiry is decided by the shared store layer on the store's clock, so the suite can run in
  // virtual time; the native PEXPIRE gets a grace far beyond any test's real duration.
  storeConformance('redis', async () => {
    const runtime = manualRuntime();
    const prefix = uniquePrefix('store');
    const driver = redisStoreDriver({ client, prefix, runtime, expiryGraceMs: 600_000 });
    return {
      subject: createStore({ driver, runtime }),
      advance: (ms) => runtime.advance(ms),
      cleanup: () => dropPrefix(url, prefix),
    };
  });

  // Native SET PX: entries expire on the Redis server's clock, so the suite runs on real time.
  cacheConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('cache');
      return { subject: redisCache({ client, prefix }), cleanup: () => dropPrefix(url, prefix) };
    },
    { realTtlMs: 100 },
  );

  // Each client is a separate connection, as separate processes would have.
  brokerConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('broker');
      const clients: Broker[] = [];
      return {
        subject: {
          client() {
            const broker = redisBroker({ url, prefix });
            clients.push(broker);
            return broker;
          },
        },
        cleanup: async () => {
          for (const broker of clients) await broker.close();
          await dropPrefix(url, prefix);
        },
      };
    },
    { realAckTimeoutMs: 200 },
  );

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
    { realTtlMs: 150 },
  );
});
