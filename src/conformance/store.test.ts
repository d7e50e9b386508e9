import { drive } from '../fakes/driven.js';
import { storeNode } from '../fakes/store.js';
import { memoryStore } from '../micro/store/memory.js';
import { createSim, type NodeContext } from '../sim/index.js';
import { storeConformance } from './store.js';
import { manualRuntime } from './support.js';

storeConformance('memory', async () => {
  const runtime = manualRuntime();
  return { subject: memoryStore({ runtime }), advance: (ms) => runtime.advance(ms) };
});

// The same memory store on real time: proves the suite's real-time path (short real TTLs).
// Real sleeps overshoot under load: the TTL must dwarf a scheduling hiccup, or "before its TTL" flakes.
storeConformance('memory on real time', async () => ({ subject: memoryStore() }), { realTtlMs: 400 });

// The simulated fake: the store on node `store`, the client on node `app`, every call a sim
// message; awaiting a call drives the simulation (virtual time) until it settles.
for (const seed of [1, 2]) {
  storeConformance(
    `sim fake (seed ${seed}, linearizable)`,
    async () => {
      const sim = createSim({ seed });
      const node = storeNode(sim);
      let app!: NodeContext;
      sim.node('app', (ctx) => {
        app = ctx;
      });
      await sim.runFor(0);
      const driven = drive(sim);
      return {
        subject: driven.wrap(node.client(app, { table: `t${seed}` })),
        advance: (ms) => driven.advance(ms),
        cleanup: async () => sim.dispose(),
      };
    },
    {
      unsupported: {
        exactTtlBoundary: 'every call crosses the simulated network, so the store clock moves by the link latency',
      },
    },
  );
}
