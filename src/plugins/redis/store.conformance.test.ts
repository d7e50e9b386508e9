// storeConformance, unchanged, against the Redis store driver on a real server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { createStore } from '../../micro/store/store.js';
import { describeBackend } from '../describe-backend.js';
import { redisStoreDriver } from './store.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  // One connection shared by every test; each test writes under its own key prefix.
  let client: Redis;
  beforeAll(() => {
    client = new Redis(url);
  });
  afterAll(() => client.quit());

  // Expiry is decided by the shared store layer on the store's clock, so the suite runs in
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
});
