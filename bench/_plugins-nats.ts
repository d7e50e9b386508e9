// The NATS part of bench/plugins.ts: each plugin operation beside the raw NATS client doing the
// same work (KV put/get with the same encoding, a JetStream publish, a core publish → delivery).
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, headers } from '@nats-io/transport-node';
import { jetStreamName, natsBroker, natsEvents, natsStore } from '../src/plugins/nats/index.js';
import type { Operation, Section } from './_plugins-kit.js';
import { deliveries, unique } from './_plugins-kit.js';

const value = new Uint8Array(64).fill(7);

export const natsSection: Section = {
  backend: 'nats',
  async setup(url) {
    const prefix = unique('nats').replace(/[^A-Za-z0-9_-]/g, '_');
    const store = natsStore({ url, prefix, database: 'bench', table: 'kv' });
    const events = natsEvents({ url, prefix });
    const broker = natsBroker({ url, prefix });
    const nc = await connect({ servers: url });
    const js = jetstream(nc);
    const rawKv = await new Kvm(nc).create(`${jetStreamName(prefix)}_raw`, { history: 1 });
    await store.write({ key: 'read-me', value });
    await rawKv.put('read-me', value);
    await events.publish('bench', value); // creates the stream
    const eventsSubject = `${prefix}.events.bench`;

    // Deliveries: ours through the plugin's handler, raw through a plain subscription.
    const { delivered, arrival } = deliveries();
    await broker.subscribe('bench', (message) => delivered(message.id));
    nc.subscribe(`${prefix}.raw`, { callback: (_e, m) => delivered(m.headers?.get('id') ?? '') });
    await nc.flush();
    let n = 0;

    const operations: Operation[] = [
      {
        name: 'nats store.write',
        raw: 'kv.put of the same bytes',
        runOurs: () => store.write({ key: `k${n++ % 1000}`, value }),
        runRaw: () => rawKv.put(`k${n++ % 1000}`, value),
      },
      {
        name: 'nats store.read',
        raw: 'kv.get',
        runOurs: () => store.read('read-me'),
        runRaw: () => rawKv.get('read-me'),
      },
      {
        name: 'nats events.publish',
        raw: 'js.publish (ours also fetches the stored timestamp)',
        runOurs: () => events.publish('bench', value),
        runRaw: () => js.publish(eventsSubject, value),
      },
      {
        name: 'nats broker publish→deliver',
        raw: 'nc.publish + flush, plain subscription',
        runOurs: async () => {
          await arrival(await broker.publish('bench', value));
        },
        runRaw: async () => {
          const id = `r${n++}`;
          const h = headers();
          h.set('id', id);
          nc.publish(`${prefix}.raw`, value, { headers: h });
          await nc.flush();
          await arrival(id);
        },
      },
    ];
    return {
      operations,
      async teardown() {
        await broker.close();
        await events.close();
        const jsm = await jetstreamManager(nc);
        const mine = jetStreamName(prefix);
        for await (const name of jsm.streams.names()) if (name.includes(mine)) await jsm.streams.delete(name);
        await nc.close();
      },
    };
  },
};
