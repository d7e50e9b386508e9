import { memoryStore } from '../micro/store/memory.js';
import { storeConformance } from './store.js';
import { manualRuntime } from './support.js';

storeConformance('memory', async () => {
  const runtime = manualRuntime();
  return { subject: memoryStore({ runtime }), advance: (ms) => runtime.advance(ms) };
});

// The same memory store on real time: proves the suite's real-time path (short real TTLs).
storeConformance('memory on real time', async () => ({ subject: memoryStore() }), { realTtlMs: 40 });
