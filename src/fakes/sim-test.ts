/**
 * simTest: a vitest test whose body runs inside a fresh simulated cluster, and that says how to
 * replay it when it fails.
 *
 * ```ts
 * simTest('checkout survives a broker partition', { services: { orders: 2 } }, async ({ cluster }) => { … });
 * simTest.seeds(50)('no oversell under pauses', { services }, async ({ cluster, seed }) => { … });
 * simTest.each([1, 3])('with %i replicas', (n) => ({ services: { orders: n } }), async ({ cluster }, n) => { … });
 * ```
 *
 * The body runs as code of the cluster's `client` node: its `Math.random`, `Date`,
 * `performance.now` and timers are the simulation's (the client node's random stream and virtual
 * clock), and `cluster.client`, `store`, `broker`, … are that node's, so awaiting them lets virtual
 * time pass; `cluster.advance(ms)` sleeps in virtual time.
 *
 * Seeds: `MICROCOSM_SEED` when set (that is how a failure is replayed), else 1. `.seeds(n)`
 * declares one vitest test per seed, `name (seed 1)` … `name (seed n)` (only `MICROCOSM_SEED`'s when
 * set), so every failing seed is reported. `.skip`, `.only`, `.concurrent`, `.each` behave as
 * vitest's; a failure's message starts with the seed and the exact command that replays it (file
 * and test name). The cluster is disposed afterwards, also when the body throws.
 */
import { relative } from 'node:path';
import { type TestContext, test } from 'vitest';
import { sleep } from '../micro/runtime.js';
import type { NodeContext } from '../sim/types.js';
import { createSimCluster, type SimCluster, type SimClusterOptions } from './cluster.js';

export interface SimTestContext {
  readonly seed: number;
  /** The cluster as seen from its `client` node, where the body runs. */
  readonly cluster: SimCluster;
  /** The client node the body runs on (its runtime, disk, name). */
  readonly node: NodeContext;
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const quote = (text: string) => (/^[\w./@:=,+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** The command that reruns exactly this test with this seed: `MICROCOSM_SEED=3 npx vitest run FILE -t '^name \(seed 3\)$'`. */
export function replayHint(testName: string, seed: number, file?: string): string {
  const where = file === undefined ? '' : ` ${quote(file)}`;
  return `${SEED_VARIABLE}=${seed} npx vitest run${where} -t ${quote(`^${escapeRegExp(testName)}$`)}`;
}

/** The body's view of the cluster: everything the client node's, undriven, since the body runs in the world. */
function fromClientNode(cluster: SimCluster, node: NodeContext): SimCluster {
  const inside = cluster.inside;
  return {
    ...cluster,
    client: inside.client,
    broker: inside.broker ?? cluster.broker,
    store: inside.store ?? cluster.store,
    cache: inside.cache ?? cluster.cache,
    sync: inside.sync ?? cluster.sync,
    settle: async (promise) => promise,
    advance: (ms) => sleep(node.runtime, ms),
    service: (name) => cluster.service(name),
    plugins: (ctx) => cluster.plugins(ctx),
    dispose: () => cluster.dispose(),
  };
}

/** One seed of a simTest, outside vitest's declaration (what each declared test runs). */
export async function runWithSeed(
  testName: string,
  file: string | undefined,
  seed: number,
  options: SimTestOptions,
  body: SimTestBody,
): Promise<void> {
  let cluster: SimCluster | undefined;
  try {
    cluster = await createSimCluster({ ...options, seed });
    const world = cluster;
    await world.sim.settle(
      world.sim.exec(world.clientNode, (node) => body({ seed, cluster: fromClientNode(world, node), node })),
    );
  } catch (error) {
    const prefix = `[seed ${seed}] replay: ${replayHint(testName, seed, file)}`;
    if (error instanceof Error) {
      error.message = `${prefix}\n${error.message}`;
      throw error;
    }
    throw new Error(`${prefix}\n${String(error)}`);
  } finally {
    cluster?.dispose();
  }
}

type Modifier = 'run' | 'skip' | 'only' | 'concurrent';
const base = (modifier: Modifier) => (modifier === 'run' ? test : test[modifier]);

function fileOf(context: TestContext): string | undefined {
  const path = context.task.file?.filepath;
  return path === undefined ? undefined : relative(process.cwd(), path) || path;
}

/** The vitest name of a test over `seed`, when it is one of several. */
const seeded = (name: string, seed: number, several: boolean) => (several ? `${name} (seed ${seed})` : name);

function declare(seeds: readonly number[], several: boolean, modifier: Modifier) {
  return (name: string, options: SimTestOptions, body: SimTestBody, timeoutMs?: number): void => {
    for (const seed of seeds) {
      const testName = seeded(name, seed, several);
      base(modifier)(
        testName,
        async (context) => runWithSeed(context.task.name, fileOf(context), seed, options, body),
        timeoutMs,
      );
    }
  };
}

type ForEach<Case> = (name: string, fn: (row: Case, context: TestContext) => Promise<void>, timeoutMs?: number) => void;

function declareEach(seeds: readonly number[], several: boolean, modifier: Modifier) {
  return <Case>(cases: readonly Case[]) =>
    (
      name: string,
      options: SimTestOptions | ((row: Case) => SimTestOptions),
      body: (context: SimTestContext, row: Case) => Promise<void> | void,
      timeoutMs?: number,
    ): void => {
      for (const seed of seeds)
        (base(modifier).for(cases as Case[]) as unknown as ForEach<Case>)(
          seeded(name, seed, several),
          async (row, context) =>
            runWithSeed(
              context.task.name,
              fileOf(context),
              seed,
              typeof options === 'function' ? options(row) : options,
              (ctx) => body(ctx, row),
            ),
          timeoutMs,
        );
    };
}

export type SimTestDeclare = (name: string, options: SimTestOptions, body: SimTestBody, timeoutMs?: number) => void;

export type SimTestEach = <Case>(
  cases: readonly Case[],
) => (
  name: string,
  options: SimTestOptions | ((row: Case) => SimTestOptions),
  body: (context: SimTestContext, row: Case) => Promise<void> | void,
  timeoutMs?: number,
) => void;

export interface SimTestApi extends SimTestDeclare {
  readonly skip: SimTestDeclare;
  readonly only: SimTestDeclare;
  readonly concurrent: SimTestDeclare;
  /** One test per case (vitest's `test.for`: `%s`, `%i`, `$name` in the name; the case is the body's second argument). */
  readonly each: SimTestEach;
}

export interface SimTest extends SimTestApi {
  /** One vitest test per seed 1…count (or only `MICROCOSM_SEED`'s when it is set). */
  seeds(count: number): SimTestApi;
}

function api(seeds: readonly number[], several: boolean): SimTestApi {
  return Object.assign(declare(seeds, several, 'run'), {
    skip: declare(seeds, several, 'skip'),
    only: declare(seeds, several, 'only'),
    concurrent: declare(seeds, several, 'concurrent'),
    each: declareEach(seeds, several, 'run') as SimTestEach,
  });
}

export const simTest: SimTest = Object.assign(api([pinnedSeed() ?? 1], false), {
  seeds(count: number): SimTestApi {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`simTest.seeds: count must be a positive integer, got ${count}`);
    const pinned = pinnedSeed();
    return api(pinned === undefined ? Array.from({ length: count }, (_, i) => i + 1) : [pinned], true);
  },
});
