/**
 * fakes-messaging: operations per wall-clock second through the broker, events and lock fakes
 * inside the simulator (default 1 ms latency, tracing on). Each part runs alone for the same
 * virtual time with 8 client nodes looping sequentially:
 *   broker  — publish, delivered at-least-once to a queue group and acked (counted: acks)
 *   events  — publish, handed out to a consumer group and acked (counted: acks)
 *   locks   — lock (wait 1 s) then release (counted: grants)
 * The last line is all operations over all wall seconds. CPU seconds are printed beside wall
 * seconds because the machine is shared.
 * Usage: npm run bench -- fakes-messaging [virtualMs per part = 5000]
 */
import {
  brokerClient,
  createSim,
  eventsClient,
  hostBroker,
  hostEvents,
  hostLocks,
  type NodeContext,
  type Sim,
  syncClient,
} from '@microcosm-ts/core/sim';

const VIRTUAL_MS = Number(process.argv[2] ?? 5_000);
const CLIENTS = 8;
const body = new Uint8Array(64);

type Part = (sim: Sim) => (ctx: NodeContext) => Promise<void>;

const parts: Record<string, { readonly counted: string; readonly setup: Part }> = {
  'broker publish→deliver→ack': {
    counted: 'broker.ack',
    setup: (sim) => {
      hostBroker(sim);
      return async (ctx) => {
        const broker = brokerClient(ctx);
        await broker.subscribe('jobs', () => {}, { queue: 'workers', delivery: 'at-least-once' });
        for (;;) await broker.publish('jobs', body).catch(() => {});
      };
    },
  },
  'events publish→hand-out→ack': {
    counted: 'events.ack',
    setup: (sim) => {
      hostEvents(sim);
      return async (ctx) => {
        const events = eventsClient(ctx);
        const consumer = await events.consume('orders', { group: 'billing' });
        void (async () => {
          for (let m = await consumer.next(); m; m = await consumer.next()) await m.ack().catch(() => {});
        })();
        for (;;) await events.publish('orders', body).catch(() => {});
      };
    },
  },
  'lock acquire/release': {
    counted: 'sync.grant',
    setup: (sim) => {
      hostLocks(sim);
      return async (ctx) => {
        const sync = syncClient(ctx);
        for (;;) {
          const result = await sync.lock('job', { ttlMs: 1_000, waitMs: 1_000 }).catch(() => undefined);
          if (result?.type === 'acquired') await result.lease.release().catch(() => {});
        }
      };
    },
  },
};

let totalOps = 0;
let totalSeconds = 0;
for (const [name, part] of Object.entries(parts)) {
  const sim = createSim({ seed: 'bench' });
  const loop = part.setup(sim);
  for (let i = 0; i < CLIENTS; i++) sim.node(`client-${i}`, (ctx) => void loop(ctx));
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await sim.runFor(VIRTUAL_MS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const ops = sim.trace.filter((e) => e.type === part.counted).length;
  sim.dispose();
  totalOps += ops;
  totalSeconds += seconds;
  console.log(
    `${name}: ${Math.round(ops / seconds)} ops/s (${ops} ops in ${seconds.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU)`,
  );
}
console.log(`fakes-messaging: ${Math.round(totalOps / totalSeconds)} ops/s`);
