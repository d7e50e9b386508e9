// cacheConformance, unchanged, against the native Redis cache on a real server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { cacheConformance } from '../../conformance/cache.js';
import { describeBackend } from '../describe-backend.js';
import { redisCache } from './cache.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(url);
  });
  afterAll(() => client.quit());

  // Native SET PX: entries expire on the Redis server's clock, so the suite runs on real time.
  cacheConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('cache');
      return { subject: redisCache({ client, prefix }), cleanup: () => dropPrefix(url, prefix) };
    },
    { realTtlMs: 200 },
  );
});
