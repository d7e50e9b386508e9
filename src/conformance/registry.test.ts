import { drive } from '../fakes/driven.js';
import { serveRegistry, simRegistry } from '../fakes/registry.js';
import { memoryRegistry } from '../micro/registry/memory.js';
import type { Registry } from '../micro/registry/types.js';
import { createSim, type NodeContext } from '../sim/index.js';
import { registryConformance } from './registry.js';
import { type Harness, manualRuntime } from './support.js';

const inProcess = 'in-process: there is no server to be out of reach of';

registryConformance(
  'memory',
  async () => {
    const runtime = manualRuntime();
    return { subject: memoryRegistry({ runtime }), advance: (ms) => runtime.advance(ms) };
  },
  { unsupported: { unreachable: inProcess } },
);

// The same memory registry on real time: proves the suite's real-time path (short real TTLs).
registryConformance('memory on real time', async () => ({ subject: memoryRegistry() }), {
  realTtlMs: 200,
  realWatchReadyMs: 5,
  unsupported: { exactTtlBoundary: 'on real time a sleep cannot end on an exact millisecond', unreachable: inProcess },
});

// The simulated fake: the registry on node `registry`, the client on node `app`, every call and
// every watch event a sim message; awaiting a call drives the simulation until it settles.
async function simWorld(seed: number, { partitioned = false } = {}): Promise<Harness<Registry>> {
  const sim = createSim({ seed });
  sim.node('registry', (ctx) => {
    serveRegistry(ctx);
  });
  let app!: NodeContext;
  sim.node('app', (ctx) => {
    app = ctx;
  });
  await sim.runFor(0);
  if (partitioned) sim.net.partition(['app'], ['registry']);
  const driven = drive(sim);
  return {
    subject: driven.wrap(simRegistry(app, { timeoutMs: 300 })),
    advance: (ms) => driven.advance(ms),
    cleanup: async () => sim.dispose(),
  };
}

for (const seed of [1, 2]) {
  registryConformance(`sim fake (seed ${seed})`, () => simWorld(seed), {
    unsupported: {
      exactTtlBoundary: 'every call crosses the simulated network, so the registry clock moves by the link latency',
    },
    unreachable: () => simWorld(seed, { partitioned: true }),
  });
}
