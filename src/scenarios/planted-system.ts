/**
 * A small system with one switch per planted bug, built on the real fakes (store, locks, broker)
 * so the built-in invariants are fed by the fakes' own trace records — the bug-finding tests use
 * it. Nodes: `store`, `locks`, `broker`, `api-1` (serves the workload), `worker-1`/`worker-2`
 * (with `lockers`: take the lock `job`, read, work, write `job` under the lease's fencing
 * token), `sub-1` (handles `jobs` messages) and `client`.
 *
 * Workload operations: `put` (write the op's value under its key), `get`, `publish` (a `jobs`
 * message), `req` (a plain request). The switches, all off by default:
 * - `writeBehind`: `put` is acknowledged at once and written 50 ms later — a crash loses it.
 * - `tokenReuse`: the lock service keeps fencing tokens in memory — a restart reuses them.
 * - `unfenced`: the workers write blind instead of compare-and-set on the revision they read.
 * - `noDedupe`: the subscriber applies a redelivered message's effect again.
 * - `atMostOnce`: the subscriber takes `jobs` at most once (a lost delivery is never repeated).
 * - `failRate` / `slowRate`: that share of `req`s fails / takes 2 s.
 */
import { unavailable } from '../micro/errors.js';
import { sleep } from '../micro/runtime.js';
import { memoryLockDriver } from '../micro/sync/memory-driver.js';
import { brokerClient, hostBroker } from '../fakes/broker.js';
import { connect, serve } from '../fakes/remote.js';
import { FENCING_TOKEN_METADATA, storeNode } from '../fakes/store.js';
import { hostLocks, LOCKS_PORT, syncClient } from '../fakes/sync.js';
import type { NodeContext, Sim } from '../sim/types.js';
import { defineSystem } from './system.js';

export interface PlantedOptions {
  readonly writeBehind: boolean;
  readonly tokenReuse: boolean;
  readonly unfenced: boolean;
  readonly lockers: boolean;
  readonly noDedupe: boolean;
  readonly atMostOnce: boolean;
  readonly failRate: number;
  readonly slowRate: number;
}

export const PLANTED_DEFAULTS: PlantedOptions = {
  writeBehind: false,
  tokenReuse: false,
  unfenced: false,
  lockers: false,
  noDedupe: false,
  atMostOnce: false,
  failRate: 0,
  slowRate: 0,
};

const text = new TextEncoder();
const untext = new TextDecoder();

export const plantedSystem = defineSystem<PlantedOptions>({
  name: 'planted',
  parseOptions(raw) {
    const given = (raw ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(given)) {
      const fallback = (PLANTED_DEFAULTS as unknown as Record<string, unknown>)[key];
      if (fallback === undefined)
        throw new Error(`unknown option "${key}" (expected: ${Object.keys(PLANTED_DEFAULTS).join(', ')})`);
      if (typeof value !== typeof fallback) throw new Error(`${key}: expected a ${typeof fallback}`);
    }
    return { ...PLANTED_DEFAULTS, ...given } as PlantedOptions;
  },
  async build(sim: Sim, options) {
    sim.net.latency('*', '*', { type: 'constant', ms: 2 });
    const store = storeNode(sim);
    if (options.tokenReuse)
      sim.node('locks', (ctx) => {
        const driver = memoryLockDriver(ctx.runtime, { onEvent: (event) => ctx.record(event) });
        serve(ctx, LOCKS_PORT, {
          acquire: ([request]) => driver.acquire(request as Parameters<typeof driver.acquire>[0]),
          refresh: ([name, token, ttlMs]) => driver.refresh(name as string, token as number, ttlMs as number),
          release: ([name, token]) => driver.release(name as string, token as number),
          holder: ([name]) => driver.holder(name as string),
        });
      });
    else hostLocks(sim);
    hostBroker(sim);

    const holders = new Set<string>();
    sim.node('api-1', (ctx) => {
      const kv = store.client(ctx);
      const broker = brokerClient(ctx);
      const random = ctx.rng('planted');
      serve(ctx, 'api', {
        async put([key, value]) {
          const write = () => kv.write({ key: String(key), value: text.encode(String(value)) });
          if (!options.writeBehind) await write();
          else ctx.runtime.timers.setTimeout(() => void write().catch(() => {}), 50);
          return null;
        },
        async get([key]) {
          const record = await kv.read(String(key));
          return record === undefined ? null : untext.decode(record.value);
        },
        publish: ([key]) => broker.publish('jobs', text.encode(String(key))),
        async req() {
          const draw = random.next();
          if (draw < options.failRate) throw new Error('planted failure');
          if (draw > 1 - options.slowRate) await sleep(ctx.runtime, 2_000);
          return 'ok';
        },
      });
    });

    if (options.lockers)
      for (const name of ['worker-1', 'worker-2'])
        sim.node(name, (ctx) => {
          const sync = syncClient(ctx);
          const kv = store.client(ctx).withScope({ table: 'jobs' });
          void (async () => {
            for (;;) {
              const got = await sync.lock('job', { ttlMs: 300, waitMs: 500 }).catch(() => undefined);
              if (got?.type !== 'acquired') {
                await sleep(ctx.runtime, 50);
                continue;
              }
              holders.add(name);
              try {
                const read = await kv.read('job');
                await sleep(ctx.runtime, 100);
                const metadata = { [FENCING_TOKEN_METADATA]: String(got.lease.token) };
                const value = text.encode(`${name}/${got.lease.token}`);
                await kv.write(
                  { key: 'job', value, metadata },
                  options.unfenced ? {} : { ifRevision: read?.revision ?? 0 },
                );
              } catch {
                // a lost reply: try again under a new lease
              } finally {
                holders.delete(name);
                await got.lease.release().catch(() => {});
              }
              await sleep(ctx.runtime, 20);
            }
          })();
        });

    sim.node('sub-1', (ctx) => {
      const broker = brokerClient(ctx);
      const seen = new Set<string>(ctx.disk.keys());
      void broker.subscribe(
        'jobs',
        async (message) => {
          if (!options.noDedupe && seen.has(message.id)) return;
          await sleep(ctx.runtime, 10);
          seen.add(message.id);
          ctx.disk.put(message.id, true);
          ctx.disk.sync();
          ctx.record({ type: 'effect', id: message.id });
        },
        { queue: 'jobs', delivery: options.atMostOnce ? 'at-most-once' : 'at-least-once', ackTimeoutMs: 500 },
      );
    });

    let client: ReturnType<typeof connect> | undefined;
    sim.node('client', (ctx: NodeContext) => {
      client = connect(ctx, 'api-1', 'api', { timeoutMs: 3_000 });
    });
    await sim.runFor(100);
    return {
      services: {
        store: ['store'],
        locks: ['locks'],
        broker: ['broker'],
        api: ['api-1'],
        workers: options.lockers ? ['worker-1', 'worker-2'] : [],
        sub: ['sub-1'],
      },
      clients: ['client'],
      call(op) {
        if (client === undefined) return Promise.reject(unavailable('the client has not booted'));
        return client.call(op.op, op.key, op.value ?? null);
      },
      role(name) {
        if (name === 'lock-holder') return [...holders].sort().slice(0, 1);
        throw new Error(`unknown role "@${name}" (the planted system has @lock-holder)`);
      },
    };
  },
});

