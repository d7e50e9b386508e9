/**
 * The RabbitMQ {@link Broker} (amqplib).
 *
 * Layout: one direct exchange `<prefix>` (not durable); topic `t` is the routing key `t`. A plain
 * subscription is a server-named exclusive queue bound to `t`, so every subscriber gets every
 * message; a queue group `g` is the shared queue `<prefix>.<g>.<t>` (deleted by the server after
 * a minute without consumers, `x-expires`), which RabbitMQ hands round-robin to its consumers.
 * The message id is the AMQP `messageId`; headers are the AMQP headers table.
 *
 * Delivery, named honestly:
 * - 'at-most-once' consumes with `noAck`: RabbitMQ forgets a message as it sends it.
 * - 'at-least-once' consumes with manual acks; a nack requeues at once, and a delivery not acked
 *   within `ackTimeoutMs` is requeued by this client (RabbitMQ's own consumer timeout is
 *   server-wide and long). A consumer whose channel closes (unsubscribe, crash) has its unacked
 *   messages requeued by the server and redelivered, marked `redelivered`.
 * `publish` resolves when the broker confirms (a confirm channel). A lost connection fails what
 * was in flight as UNAVAILABLE and the next operation connects again; subscriptions made on it
 * end with it (not re-established: their unacked messages go back to the queue).
 */

import type amqp from 'amqplib';
import { checkBody, checkHeaders, resolveSubscribeOptions } from '../../micro/broker/options.js';
import { validateTopic } from '../../micro/broker/topic.js';
import type { Broker, ReceivedMessage, Subscription } from '../../micro/broker/types.js';
import { badRequest, type MicroError, unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, randomId } from '../../micro/runtime.js';
import { attemptOn, backendError } from '../errors.js';
import { loadPeer } from '../../micro/peer.js';

const { default: amqplib } = await loadPeer('amqplib', 'rabbitmq', () => import('amqplib'));

export interface RabbitBrokerOptions {
  /** Default: {@link DEFAULT_RABBITMQ_URL}, or `MICROCOSM_RABBITMQ_URL` when set. */
  readonly url?: string;
  /** Exchange and queue-name prefix. Default: {@link DEFAULT_RABBITMQ_PREFIX}. */
  readonly prefix?: string;
  /** At-least-once: unacked messages a consumer may hold. Default: 64. */
  readonly prefetch?: number;
  /** Timers and random (message ids). Default: liveRuntime. */
  readonly runtime?: Runtime;
}

export const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
export const DEFAULT_RABBITMQ_PREFIX = 'microcosm';
const GROUP_QUEUE_EXPIRES_MS = 60_000;

export const rabbitError = (operation: string, error: unknown): MicroError =>
  backendError('rabbitmq', operation, error);
const attempt = <T>(operation: string, work: () => Promise<T>) => attemptOn('rabbitmq', operation, work);

export function rabbitBroker(options: RabbitBrokerOptions = {}): Broker {
  const url = options.url ?? process.env.MICROCOSM_RABBITMQ_URL ?? DEFAULT_RABBITMQ_URL;
  const prefix = options.prefix ?? DEFAULT_RABBITMQ_PREFIX;
  const prefetch = options.prefetch ?? 64;
  const runtime = options.runtime ?? liveRuntime;
  if (!Number.isSafeInteger(prefetch) || prefetch < 1)
    throw badRequest(`rabbitBroker: prefetch must be ≥ 1, got ${prefetch}`);
  if (prefix.length === 0) throw badRequest('rabbitBroker: prefix must not be empty');

  let opened: Promise<{ connection: amqp.ChannelModel; publisher: amqp.ConfirmChannel }> | undefined;
  const open = () => {
    opened ??= attempt('connect', async () => {
      // TCP_NODELAY: without it a consumer's ack waits on Nagle + delayed ACK (~40 ms a message).
      const connection = await amqplib.connect(url, { noDelay: true });
      connection.on('error', () => {}); // surfaced through the operations that fail
      connection.on('close', () => {
        opened = undefined; // a lost connection is not reused: the next operation connects again
      });
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', () => {});
      await publisher.assertExchange(prefix, 'direct', { durable: false });
      return { connection, publisher };
    });
    opened.catch(() => {
      opened = undefined;
    });
    return opened;
  };
  const subscriptions = new Set<Subscription>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('rabbitmq broker is closed');
  };

  return {
    async publish(topic, body, publishOptions) {
      ensureOpen();
      validateTopic(topic);
      checkBody(body);
      const headers = checkHeaders(publishOptions);
      const { publisher } = await open();
      const id = randomId(runtime, 20);
      // This message's own confirm (waitForConfirms would also wait for every other publish in flight).
      await attempt(
        'publish',
        () =>
          new Promise<void>((resolve, reject) => {
            const content = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
            publisher.publish(prefix, topic, content, { messageId: id, headers }, (error) =>
              error ? reject(error) : resolve(),
            );
          }),
      );
      return id;
    },

    async subscribe(topic, handler, subscribeOptions) {
      ensureOpen();
      validateTopic(topic);
      const config = resolveSubscribeOptions(subscribeOptions);
      const { connection } = await open();
      const reliable = config.delivery === 'at-least-once';
      const channel = await attempt('subscribe', () => connection.createChannel());
      channel.on('error', () => {});
      if (reliable) await channel.prefetch(prefetch);
      const queue = await attempt('subscribe', async () => {
        if (config.queue === undefined)
          return (await channel.assertQueue('', { exclusive: true, autoDelete: true })).queue;
        const name = `${prefix}.${config.queue}.${topic}`;
        await channel.assertQueue(name, { durable: false, arguments: { 'x-expires': GROUP_QUEUE_EXPIRES_MS } });
        return name;
      });
      await attempt('subscribe', () => channel.bindQueue(queue, prefix, topic));
      let active = true;

      const receive = (raw: amqp.ConsumeMessage | null) => {
        if (!raw || !active) return;
        let settled = !reliable;
        const timer = reliable ? runtime.timers.setTimeout(() => settle(false), config.ackTimeoutMs) : undefined;
        const settle = (ack: boolean) => {
          if (settled || !active) return;
          settled = true;
          timer?.cancel();
          if (ack) channel.ack(raw);
          else channel.nack(raw, false, true);
        };
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(raw.properties.headers ?? {})) headers[key] = String(value);
        const message: ReceivedMessage = {
          id: String(raw.properties.messageId ?? ''),
          topic,
          headers,
          body: new Uint8Array(raw.content.buffer, raw.content.byteOffset, raw.content.byteLength),
          redelivered: reliable && raw.fields.redelivered,
          ack: async () => settle(true),
          nack: async () => settle(false),
        };
        void (async () => handler(message))().then(
          () => {
            if (config.autoAck) settle(true);
          },
          () => {
            if (config.autoAck) settle(false);
          },
        );
      };
      const { consumerTag } = await attempt('subscribe', () => channel.consume(queue, receive, { noAck: !reliable }));

      const subscription: Subscription = {
        topic,
        queue: config.queue,
        async unsubscribe() {
          if (!active) return;
          active = false;
          subscriptions.delete(subscription);
          await channel.cancel(consumerTag).catch(() => undefined);
          await channel.close().catch(() => undefined); // unacked messages go back to the queue
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const subscription of [...subscriptions]) await subscription.unsubscribe();
      const current = await opened?.catch(() => undefined);
      await current?.connection.close().catch(() => undefined);
    },
  };
}
