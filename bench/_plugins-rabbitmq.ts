// The RabbitMQ part of bench/plugins.ts: broker publish → delivery, at most once and at least
// once, beside raw amqplib doing the same (a confirm channel to publish, a consumer with noAck
// or with a manual ack per message, on its own exchange and queues).
import amqp from 'amqplib';
import type { DeliveryMode } from '../src/micro/broker/types.js';
import { rabbitBroker } from '../src/plugins/rabbitmq/index.js';
import type { Operation, Section } from './_plugins-kit.js';
import { deliveries, unique } from './_plugins-kit.js';

const value = new Uint8Array(64).fill(7);
const PREFETCH = 64; // the plugin's default

export const rabbitmqSection: Section = {
  backend: 'rabbitmq',
  async setup(url) {
    const prefix = unique('rabbitmq');
    const rawExchange = `${prefix}.raw`;
    const broker = rabbitBroker({ url, prefix });
    const connection = await amqp.connect(url, { noDelay: true }); // as the plugin connects
    const publisher = await connection.createConfirmChannel();
    await publisher.assertExchange(rawExchange, 'direct', { durable: false });

    // Deliveries: ours through the plugin's handler, raw through a plain consumer.
    const { delivered, arrival } = deliveries();

    const rawConsumer = async (topic: string, reliable: boolean) => {
      const channel = await connection.createChannel();
      if (reliable) await channel.prefetch(PREFETCH);
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      await channel.bindQueue(queue, rawExchange, topic);
      await channel.consume(
        queue,
        (m) => {
          if (!m) return;
          delivered(String(m.properties.messageId));
          if (reliable) channel.ack(m);
        },
        { noAck: !reliable },
      );
    };
    let n = 0;
    /** Publish through the confirm channel and wait for this message's confirm. */
    const rawPublish = (topic: string) => {
      const id = `r${n++}`;
      return new Promise<string>((resolve, reject) =>
        publisher.publish(rawExchange, topic, Buffer.from(value), { messageId: id, headers: {} }, (error) =>
          error ? reject(error) : resolve(id),
        ),
      );
    };

    const operations: Operation[] = [];
    for (const delivery of ['at-most-once', 'at-least-once'] as const satisfies readonly DeliveryMode[]) {
      const topic = delivery === 'at-most-once' ? 'amo' : 'alo';
      await broker.subscribe(topic, (message) => delivered(message.id), { delivery });
      await rawConsumer(topic, delivery === 'at-least-once');
      operations.push({
        name: `rabbitmq publish→deliver ${delivery === 'at-most-once' ? 'amo' : 'alo'}`,
        raw:
          delivery === 'at-most-once'
            ? 'confirm-channel publish (per-message confirm), noAck consumer'
            : 'confirm-channel publish (per-message confirm), consumer acking each message',
        runOurs: async () => {
          await arrival(await broker.publish(topic, value));
        },
        runRaw: async () => {
          await arrival(await rawPublish(topic));
        },
      });
    }
    return {
      operations,
      async teardown() {
        await broker.close();
        await publisher.deleteExchange(rawExchange);
        await publisher.deleteExchange(prefix);
        await connection.close();
      },
    };
  },
};
