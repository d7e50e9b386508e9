import { memoryEvents } from '../micro/events/memory.js';
import { eventsConformance } from './events.js';
import { manualRuntime } from './support.js';

// Memory clients are named connections to one event store; closing one ends only its consumers.
eventsConformance('memory', async () => {
  const runtime = manualRuntime();
  const events = memoryEvents({ runtime });
  return {
    subject: { client: (name) => events.connect(name) },
    advance: (ms) => runtime.advance(ms),
    cleanup: () => events.close(),
  };
});
