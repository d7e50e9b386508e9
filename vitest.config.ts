import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and scenarios import the package by its public name, as a user would.
    alias: [
      { find: /^@microcosm-ts\/core\/sim$/, replacement: here('./src/sim-entry.ts') },
      { find: /^@microcosm-ts\/core\/vitest$/, replacement: here('./src/vitest-entry.ts') },
      { find: /^@microcosm-ts\/core\/conformance$/, replacement: here('./src/conformance/index.ts') },
      { find: /^@microcosm-ts\/core\/plugins\/(.*)$/, replacement: here('./src/plugins/$1/index.ts') },
      { find: /^@microcosm-ts\/core$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    setupFiles: ['test/setup-fast-check.ts', 'test/setup-sim-guard.ts'],
    testTimeout: 20_000,
    // Vitest's default on a 2-core machine is one worker; the real-backend suites spend most of
    // their time waiting on servers' clocks (ack timeouts, leases), so three workers overlap that
    // waiting: about 150 s → 60 s for the whole suite here, at the same CPU time.
    maxWorkers: 3,
    // Test files share their worker's module cache (no re-import per file): ~63 s → ~36 s here.
    // Nothing of ours keeps cross-file state that matters: every sim, service and backend prefix
    // is created per test (a leak between two sims' global patches was found and fixed this way).
    isolate: false,
    hookTimeout: 30_000,
  },
});
