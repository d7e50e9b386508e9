import { memoryBroker } from '../micro/broker/memory.js';
import { brokerConformance } from './broker.js';
import { manualRuntime } from './support.js';

// Memory clients are named connections to one broker; closing one ends only its subscriptions.
brokerConformance('memory', async () => {
  const runtime = manualRuntime();
  const broker = memoryBroker({ runtime });
  return {
    subject: { client: (name) => broker.connect(name) },
    advance: (ms) => runtime.advance(ms),
    cleanup: () => broker.close(),
  };
});
