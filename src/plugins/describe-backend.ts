/**
 * `describeBackend`: the one-liner a plugin test file uses to run against a real backend.
 *
 * ```ts
 * describeBackend('redis', ({ url }) => {
 *   storeConformance('redis', () => redisStoreDriver({ url, prefix: uniquePrefix() }));
 * });
 * ```
 *
 * The backend is found by {@link resolveBackend} (Testcontainers → `MICROCOSM_<NAME>_URL` →
 * default local port). If none answers, the suite prints ONE line naming what was tried and
 * reports one skipped test carrying the same text; with `MICROCOSM_REQUIRE_SERVICES=1` it
 * reports one failing test instead. Vitest awaits the async collector, so resolution happens
 * once per file at collection time and costs milliseconds when nothing answers.
 */
import { describe, it } from 'vitest';
import { type Backend, type BackendName, describeAttempts, resolveBackend, servicesRequired } from './backends.js';

export type AvailableBackend = Extract<Backend, { type: 'available' }>;

export function describeBackend(name: BackendName, body: (backend: AvailableBackend) => void, title?: string): void {
  describe(title ?? `${name} backend`, async () => {
    const backend = await resolveBackend(name);
    if (backend.type === 'available') {
      body(backend);
      return;
    }
    const line = describeAttempts(backend);
    if (servicesRequired()) {
      it(`${name} backend is reachable (MICROCOSM_REQUIRE_SERVICES=1)`, () => {
        throw new Error(line);
      });
      return;
    }
    console.warn(`[microcosm] skipping ${name} suite — ${line}`);
    it.skip(`skipped — ${line}`, () => {});
  });
}
