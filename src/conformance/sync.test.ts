import { memoryLockDriver } from '../micro/sync/memory-driver.js';
import { createSync } from '../micro/sync/sync.js';
import type { Sync } from '../micro/sync/types.js';
import { manualRuntime } from './support.js';
import { syncConformance } from './sync.js';

syncConformance('memory', async () => {
  const runtime = manualRuntime();
  // One lock service shared by every client; a client closing must not close the service.
  const driver = { ...memoryLockDriver(runtime), close: async () => {} };
  const clients: Sync[] = [];
  return {
    subject: {
      client(name) {
        const sync = createSync(driver, { runtime, holder: name });
        clients.push(sync);
        return sync;
      },
    },
    advance: (ms) => runtime.advance(ms),
    cleanup: async () => {
      for (const client of clients) await client.close();
    },
  };
});
