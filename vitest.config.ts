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
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
