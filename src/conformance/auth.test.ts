import { authNode } from '../fakes/auth.js';
import { drive } from '../fakes/driven.js';
import { memoryAuth } from '../micro/auth/memory.js';
import { createSim, type NodeContext } from '../sim/index.js';
import { authConformance } from './auth.js';
import { manualRuntime } from './support.js';

const SECRET = 'conformance-secret-of-at-least-32-bytes!';

authConformance('memory', async () => {
  const runtime = manualRuntime();
  return { subject: memoryAuth({ secret: SECRET, runtime }), advance: (ms) => runtime.advance(ms) };
});

authConformance('sim fake', async () => {
  const sim = createSim({ seed: 9 });
  const node = authNode(sim, { secret: SECRET });
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
});
