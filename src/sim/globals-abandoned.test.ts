import { describe, expect, it } from 'vitest';
import { restoreAbandonedGlobals } from './globals.js';
import { createSim } from './index.js';

describe('an abandoned run', () => {
  it('leaves nothing installed once its globals are restored', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const sim = createSim({ seed: 1 });
    let during: typeof setTimeout | undefined;
    sim.node('a', () => {
      during = globalThis.setTimeout;
    });
    // A run that never finishes from the test's point of view: started, not awaited.
    const abandoned = sim.runFor(60_000);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(during).not.toBe(realSetTimeout);
    expect(restoreAbandonedGlobals()).toBe(true);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(restoreAbandonedGlobals()).toBe(false);
    sim.dispose();
    await abandoned.catch(() => undefined);
  });
});
