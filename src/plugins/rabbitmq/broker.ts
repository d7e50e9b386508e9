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
 * `publish` resolves when the broker confirms (a confirm channel).
 *
 * Lost connections (see {@link rabbitLink}): what was in flight fails as a retryable
 * UNAVAILABLE, and the broker reconnects in the background with jittered exponential backoff
 * (`reconnect`), re-declares the exchange and re-establishes every live subscription (same
 * handler, same `Subscription` object: a group re-joins its queue, whose unacked messages the
 * server has requeued; a plain subscription gets a fresh exclusive queue, so what was published
 * during the outage is not delivered to it). A subscription channel closed on its own (the
 * server cancelled the consumer) is re-established the same way. A **publish (or a new
 * subscribe) during the outage does not wait**: it fails at once with a retryable UNAVAILABLE (a
 * publish carries no deadline to bound a wait by), and succeeds again once the subscriptions
 * are back. After `reconnect.maxAttempts` failed attempts the subscriptions end and the next
 * operation connects afresh. `unsubscribe` and `close` during an outage stop the recovery of
 * what they end.
 */

import type amqp from 'amqplib';
import { checkBody, checkHeaders, resolveSubscribeOptions } from '../../micro/broker/options.js';
import { validateTopic } from '../../micro/broker/topic.js';
import type { Broker, ReceivedMessage, Subscription } from '../../micro/broker/types.js';
import { type MicroError, unavailable } from '../../micro/errors.js';
import { loadPeer } from '../../micro/peer.js';
import { randomId, type TimerHandle } from '../../micro/runtime.js';
import { attemptOn, backendError } from '../errors.js';
import { type RabbitSession, rabbitLink } from './link.js';
import { type RabbitBrokerOptions, resolveRabbitOptions } from './options.js';

const { default: amqplib } = await loadPeer('amqplib', 'rabbitmq', () => import('amqplib'));

const GROUP_QUEUE_EXPIRES_MS = 60_000;

export const rabbitError = (operation: string, error: unknown): MicroError =>
  backendError('rabbitmq', operation, error);
const attempt = <T>(operation: string, work: () => Promise<T>) => attemptOn('rabbitmq', operation, work);

export function rabbitBroker(options: RabbitBrokerOptions = {}): Broker {
  const config = resolveRabbitOptions(options);
  const { prefix, prefetch, runtime } = config;
  const link = rabbitLink(amqplib, config);
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
      const { publisher } = await link.session();
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
      const settings = resolveSubscribeOptions(subscribeOptions);
      const reliable = settings.delivery === 'at-least-once';
      let active = true;
      let channel: amqp.Channel | undefined; // the channel consuming now
      let consumerTag: string | undefined;
      let retry: TimerHandle | undefined;
      let unlisten: () => void = () => {};

      const receive = (from: amqp.Channel, raw: amqp.ConsumeMessage) => {
        let settled = !reliable;
        const timer = reliable ? runtime.timers.setTimeout(() => settle(false), settings.ackTimeoutMs) : undefined;
        const settle = (ack: boolean) => {
          if (settled || !active) return;
          settled = true;
          timer?.cancel();
          try {
            if (ack) from.ack(raw);
            else from.nack(raw, false, true);
          } catch {
            // its channel is gone: the server has requeued the message already
          }
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
            if (settings.autoAck) settle(true);
          },
          () => {
            if (settings.autoAck) settle(false);
          },
        );
      };

      /** Declare the queue, bind it and consume, on `session` (first subscribe and every recovery). */
      const establish = async (session: RabbitSession) => {
        const opened = await attempt('subscribe', () => session.connection.createChannel());
        opened.on('error', () => {});
        try {
          if (reliable) await opened.prefetch(prefetch);
          const queue = await attempt('subscribe', async () => {
            if (settings.queue === undefined)
              return (await opened.assertQueue('', { exclusive: true, autoDelete: true })).queue;
            const name = `${prefix}.${settings.queue}.${topic}`;
            await opened.assertQueue(name, { durable: false, arguments: { 'x-expires': GROUP_QUEUE_EXPIRES_MS } });
            return name;
          });
          await attempt('subscribe', () => opened.bindQueue(queue, prefix, topic));
          channel = opened; // before consuming: a backlog is delivered before `consume` resolves
          const consumed = await attempt('subscribe', () =>
            opened.consume(queue, (raw) => {
              if (!raw)
                void opened.close().catch(() => undefined); // cancelled by the server: recover
              else if (active && channel === opened) receive(opened, raw);
            }),
          );
          if (!active) throw unavailable('rabbitmq subscription ended while it was re-established');
          consumerTag = consumed.consumerTag;
          opened.on('close', () => {
            // amqplib closes a dying connection's channels just before the connection itself:
            // decide after that, so a lost connection is left to the link alone.
            void Promise.resolve().then(() => {
              if (active && channel === opened && link.isLive(session)) recoverOn(session, 0);
            });
          });
        } catch (error) {
          await opened.close().catch(() => undefined);
          throw error;
        }
      };

      /** The channel alone was lost (its connection lives): establish again after a backoff. */
      const recoverOn = (session: RabbitSession, attempts: number) => {
        retry = link.after(attempts, () => {
          retry = undefined;
          // A lost connection is the link's to recover (it restores this subscription itself).
          if (!active || !link.isLive(session)) return;
          establish(session).catch(() => {
            if (active && link.isLive(session) && attempts + 1 < config.reconnect.maxAttempts)
              recoverOn(session, attempts + 1);
            else if (active && link.isLive(session)) end();
          });
        });
      };

      const end = () => {
        active = false;
        retry?.cancel();
        unlisten();
        subscriptions.delete(subscription);
      };

      await establish(await link.session());
      unlisten = link.listen({
        restore: async (session) => {
          if (!active) return;
          retry?.cancel();
          await establish(session).catch(() => {
            if (active && link.isLive(session)) recoverOn(session, 1);
          });
        },
        gaveUp: () => end(),
      });

      const subscription: Subscription = {
        topic,
        queue: settings.queue,
        async unsubscribe() {
          if (!active) return;
          end();
          const last = channel;
          if (consumerTag !== undefined) await last?.cancel(consumerTag).catch(() => undefined);
          await last?.close().catch(() => undefined); // unacked messages go back to the queue
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const subscription of [...subscriptions]) await subscription.unsubscribe();
      await link.close();
    },
  };
}
