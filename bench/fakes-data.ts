/**
 * fakes-data: operations per wall-clock second through the store, cache and auth fakes inside
 * the simulator (default 1 ms latency, tracing on). Each part runs alone for the same virtual
 * time with 8 client nodes looping sequentially; an operation counts when its reply arrives:
 *   store write  — write of a 64-byte value to one of 100 keys
 *   store read   — read of one of 100 keys (pre-filled)
 *   store cas    — read, then compare-and-set on one shared counter (counted: successful CAS)
 *   cache        — set with a TTL, then get
 *   auth inspect — inspect of an access token (HS256 verify on the auth node)
 *   http fetch   — the shop's card charge: a POST with a JSON body through httpDependency to
 *                  its msw handler (5 ms on the provider) and the JSON response read back
 * The last line is all operations over all wall seconds.
 * Usage: npm run bench -- fakes-data [virtualMs per part = 5000]
 */
import {
  authNode,
  cacheNode,
  createSim,
  httpDependency,
  type NodeContext,
  type Sim,
  storeNode,
} from '@microcosm-ts/core/sim';
import { createLedger } from '../examples/shop/ledger.js';
import { PROVIDER_HOST, PROVIDER_URL, providerHandlers } from '../examples/shop/provider.js';

const VIRTUAL_MS = Number(process.argv[2] ?? 5_000);
const CLIENTS = 8;
const value = new Uint8Array(64);
const SECRET = 'bench-secret-that-is-at-least-32-bytes';

type Loop = (ctx: NodeContext, done: () => void) => Promise<void>;
type Part = (sim: Sim) => Loop | Promise<Loop>;

const parts: Record<string, Part> = {
  'store write': (sim) => {
    const node = storeNode(sim);
    return async (ctx, done) => {
      const store = node.client(ctx);
      for (let i = 0; ; i++) {
        await store.write({ key: `k${(i * 7 + ctx.name.length) % 100}`, value }).then(done, () => {});
      }
    };
  },
  'store read': (sim) => {
    const node = storeNode(sim);
    sim.schedule(0, () => {
      for (let i = 0; i < 100; i++) void node.direct().write({ key: `k${i}`, value });
    });
    return async (ctx, done) => {
      const store = node.client(ctx);
      for (let i = 0; ; i++) await store.read(`k${i % 100}`).then(done, () => {});
    };
  },
  'store cas (one contended key)': (sim) => {
    const node = storeNode(sim);
    return async (ctx, done) => {
      const store = node.client(ctx);
      for (;;) {
        const current = await store.read('counter').catch(() => undefined);
        const result = await store
          .write({ key: 'counter', value }, { ifRevision: current?.revision ?? 0 })
          .catch(() => undefined);
        if (result?.type === 'ok') done();
      }
    };
  },
  'cache set+get': (sim) => {
    const node = cacheNode(sim);
    return async (ctx, done) => {
      const cache = node.client(ctx);
      for (let i = 0; ; i++) {
        await cache.set(`k${i % 50}`, { n: i }, { ttlMs: 1_000 }).then(done, () => {});
        await cache.get(`k${(i + 1) % 50}`).then(done, () => {});
      }
    };
  },
  'auth inspect': (sim) => {
    const node = authNode(sim, { secret: SECRET });
    return async (ctx, done) => {
      const auth = node.client(ctx);
      const { secret } = await auth.generate(ctx.name);
      const { accessToken } = await auth.token({ id: ctx.name, secret });
      for (;;) await auth.inspect(accessToken).then(done, () => {});
    };
  },
  'http fetch': async (sim) => {
    const provider = await httpDependency(sim, PROVIDER_HOST, providerHandlers(createLedger({})));
    return async (ctx, done) => {
      const send = provider.fetch(ctx);
      for (let i = 0; ; i++) {
        const orderId = `${ctx.name}-${i}`;
        await send(`${PROVIDER_URL}/v1/charges`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': orderId },
          body: JSON.stringify({ orderId, amount: 25 }),
        })
          .then((response) => response.json())
          .then(done, () => {});
      }
    };
  },
};

let totalOps = 0;
let totalSeconds = 0;
for (const [name, setup] of Object.entries(parts)) {
  const sim = createSim({ seed: 'bench' });
  const loop = await setup(sim);
  let ops = 0;
  const done = () => void ops++;
  for (let i = 0; i < CLIENTS; i++) sim.node(`client-${i}`, (ctx) => void loop(ctx, done));
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await sim.runFor(VIRTUAL_MS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  sim.dispose();
  totalOps += ops;
  totalSeconds += seconds;
  console.log(
    `${name}: ${Math.round(ops / seconds)} ops/s (${ops} ops in ${seconds.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU)`,
  );
}
console.log(`fakes-data: ${Math.round(totalOps / totalSeconds)} ops/s`);
