import { cacheNode } from '../fakes/cache.js';
import { drive } from '../fakes/driven.js';
import { createCache, memoryCache } from '../micro/cache/cache.js';
import { memoryStore } from '../micro/store/memory.js';
import { createSim, type NodeContext } from '../sim/index.js';
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

cacheConformance(
  'sim fake',
  async () => {
    const sim = createSim({ seed: 5 });
    const node = cacheNode(sim);
    let app!: NodeContext;
    sim.node('app', (ctx) => {
      app = ctx;
    });
    await sim.runFor(0);
    const driven = drive(sim);
    return {
      subject: driven.wrap(node.client(app)),
      advance: (ms) => driven.advance(ms),
      cleanup: async () => sim.dispose(),
    };
  },
  {
    unsupported: {
      exactTtlBoundary: 'every call crosses the simulated network, so the cache clock moves by the link latency',
    },
  },
);
