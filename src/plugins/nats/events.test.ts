// Interoperability: what natsEvents publishes is an ordinary JetStream message to a plain client.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { describeBackend } from '../describe-backend.js';
import { ID_HEADER } from './broker.js';
import { natsEvents } from './events.js';
import { jetStreamName } from './names.js';
import { uniquePrefix } from './test-helpers.js';

describeBackend('nats', ({ url }) => {
  it('an event published through the plugin is consumed by a plain NATS client', async () => {
    const prefix = uniquePrefix('interop');
    const events = natsEvents({ url, prefix });
    const plain = await connect({ servers: url });
    const stream = `${jetStreamName(prefix)}_orders`;
    try {
      const { id, offset } = await events.publish('orders', new TextEncoder().encode('{"order":42}'));
      const consumer = await jetstream(plain).consumers.get(stream); // an ordered consumer, no Microcosm code
      const message = await consumer.next({ expires: 2_000 });
      expect(message?.subject).toBe(`${prefix}.events.orders`);
      expect(message?.seq).toBe(offset);
      expect(message?.headers?.get(ID_HEADER)).toBe(id);
      expect(message?.json()).toEqual({ order: 42 });
    } finally {
      await events.close();
      await (await jetstreamManager(plain)).streams.delete(stream).catch(() => false);
      await plain.close();
    }
  });

  it('a record a plain client publishes to the subject is read back by the plugin', async () => {
    const prefix = uniquePrefix('interop');
    const events = natsEvents({ url, prefix });
    const plain = await connect({ servers: url });
    try {
      await events.read('audit'); // creates the stream
      const ack = await jetstream(plain).publish(`${prefix}.events.audit`, 'from outside');
      const [record] = await events.read('audit');
      expect(record?.offset).toBe(ack.seq);
      expect(new TextDecoder().decode(record?.body)).toBe('from outside');
    } finally {
      await events.close();
      await (await jetstreamManager(plain)).streams.delete(`${jetStreamName(prefix)}_audit`).catch(() => false);
      await plain.close();
    }
  });
});
