/**
 * simTest: a vitest test whose body runs inside a fresh simulated cluster, and that says how to
 * replay it when it fails.
 *
 * ```ts
 * simTest('checkout survives a broker partition', { services: { orders: 2 } }, async ({ cluster }) => { … });
 * simTest.seeds(50)('no oversell under pauses', { services }, async ({ cluster, seed }) => { … });
 * ```
 *
 * The seed is `MICROCOSM_SEED` when set (that is how a failure is replayed), else 1; `.seeds(n)`
 * runs seeds 1…n (or just `MICROCOSM_SEED`). A failure's message starts with the seed and the
 * exact command that replays it. The cluster is disposed afterwards, also when the body throws.
 */
import { test } from 'vitest';
import { type Cluster, createSimCluster, type SimCluster, type SimClusterOptions } from './cluster.js';

export interface SimTestContext {
  readonly seed: number;
  readonly cluster: SimCluster;
}

export type SimTestBody = (context: SimTestContext) => Promise<void> | void;
export type SimTestOptions = Omit<SimClusterOptions, 'seed'>;

export const SEED_VARIABLE = 'MICROCOSM_SEED';

function pinnedSeed(): number | undefined {
  const raw = process.env[SEED_VARIABLE];
  if (raw === undefined || raw === '') return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`${SEED_VARIABLE} must be an integer, got "${raw}"`);
  return seed;
}

/** The command that reruns exactly this test with this seed. */
export function replayHint(name: string, seed: number): string {
  return `${SEED_VARIABLE}=${seed} npx vitest run -t ${JSON.stringify(name)}`;
}

async function runWithSeed(name: string, seed: number, options: SimTestOptions, body: SimTestBody): Promise<void> {
  let cluster: Cluster | undefined;
  try {
    const simCluster = await createSimCluster({ ...options, seed });
    cluster = simCluster;
    await body({ seed, cluster: simCluster });
  } catch (error) {
    const prefix = `[seed ${seed}] replay: ${replayHint(name, seed)}`;
    if (error instanceof Error) {
      error.message = `${prefix}\n${error.message}`;
      throw error;
    }
    throw new Error(`${prefix}\n${String(error)}`);
  } finally {
    cluster?.dispose();
  }
}

function declare(seeds: readonly number[]) {
  return (name: string, options: SimTestOptions, body: SimTestBody, timeoutMs?: number): void => {
    test(
      name,
      async () => {
        for (const seed of seeds) await runWithSeed(name, seed, options, body);
      },
      timeoutMs,
    );
  };
}

export interface SimTest {
  (name: string, options: SimTestOptions, body: SimTestBody, timeoutMs?: number): void;
  /** The same test over seeds 1…count (or only `MICROCOSM_SEED` when it is set). */
  seeds(count: number): (name: string, options: SimTestOptions, body: SimTestBody, timeoutMs?: number) => void;
}

export const simTest: SimTest = Object.assign(
  (name: string, options: SimTestOptions, body: SimTestBody, timeoutMs?: number) =>
    declare([pinnedSeed() ?? 1])(name, options, body, timeoutMs),
  {
    seeds(count: number) {
      if (!Number.isInteger(count) || count < 1)
        throw new Error(`simTest.seeds: count must be a positive integer, got ${count}`);
      const pinned = pinnedSeed();
      return declare(pinned === undefined ? Array.from({ length: count }, (_, i) => i + 1) : [pinned]);
    },
  },
);
