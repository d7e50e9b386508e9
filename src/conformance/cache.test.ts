import { createCache, memoryCache } from '../micro/cache/cache.js';
import { memoryStore } from '../micro/store/memory.js';
import { cacheConformance } from './cache.js';
import { manualRuntime } from './support.js';

cacheConformance('memory', async () => {
  const runtime = manualRuntime();
  return { subject: memoryCache({ runtime }), advance: (ms) => runtime.advance(ms) };
});

cacheConformance('over a shared memory store, with a default TTL it overrides', async () => {
  const runtime = manualRuntime();
  const store = memoryStore({ runtime });
  return { subject: createCache({ store, defaultTtlMs: 3_600_000 }), advance: (ms) => runtime.advance(ms) };
});
