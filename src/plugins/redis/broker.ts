/**
 * The Redis {@link Broker}, on Streams.
 *
 * Layout: a topic is a stream `<prefix>:broker:<topic>`; a published message is one entry
 * (fields `id`, `h` headers JSON, `b` body bytes; see `stream-entry.ts`), trimmed to about
 * `maxLen` entries. Every subscription reads through a Redis consumer group: a plain (fan-out)
 * subscription through its own anonymous group, a queue-group member through the group named
 * `queue:<name>`, so each message goes to one consumer of each group. Groups start at `$`, so a
 * subscription sees exactly what is published after `subscribe` resolves.
 *
 * Delivery, named honestly:
 * - 'at-most-once' reads with NOACK: Redis forgets the hand-out at once, nothing is redelivered,
 *   and a subscriber that dies with entries in hand loses them.
 * - 'at-least-once' keeps hand-outs in the group's pending list until XACK. A nack (or an
 *   unsubscribe with unacked messages) makes them claimable at once; a hand-out not acked within
 *   `ackTimeoutMs` — also one held by a crashed member — is taken over by XAUTOCLAIM from any
 *   live member, marked `redelivered`. This holds while the backlog stays under `maxLen`
 *   (trimmed entries are gone).
 * A named group keeps its position while it has no members, so an at-most-once group that comes
 * back also gets what was published meanwhile (up to `maxLen`); plain subscriptions never do.
 */
import { randomUUID } from 'node:crypto';
import { checkBody, checkHeaders, resolveSubscribeOptions } from '../../micro/broker/options.js';
import { validateTopic } from '../../micro/broker/topic.js';
import type { Broker, Subscription } from '../../micro/broker/types.js';
import { badRequest, unavailable } from '../../micro/errors.js';
import { startGroupReader } from './broker-reader.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';
import { toBuffer } from './stream-entry.js';

export interface RedisBrokerOptions extends RedisOptions {
  /** Entries a topic's stream keeps (approximately). Default: {@link DEFAULT_BROKER_MAX_LEN}. */
  readonly maxLen?: number;
}

export const DEFAULT_BROKER_MAX_LEN = 10_000;

export function redisBroker(options: RedisBrokerOptions = {}): Broker {
  const config = resolveRedisOptions(options);
  const maxLen = options.maxLen ?? DEFAULT_BROKER_MAX_LEN;
  if (!Number.isSafeInteger(maxLen) || maxLen < 1) throw badRequest(`redisBroker: maxLen must be ≥ 1, got ${maxLen}`);
  const connection = openRedis(config);
  const { redis } = connection;
  const subscriptions = new Set<Subscription>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('redis broker is closed');
  };
  const streamKey = (topic: string) => `${config.prefix}:broker:${topic}`;

  return {
    async publish(topic, body, publishOptions) {
      ensureOpen();
      validateTopic(topic);
      checkBody(body);
      const headers = checkHeaders(publishOptions);
      const id = randomUUID();
      await attempt('broker publish', () =>
        redis.xadd(
          streamKey(topic),
          'MAXLEN',
          '~',
          maxLen,
          '*',
          'id',
          id,
          'h',
          JSON.stringify(headers),
          'b',
          toBuffer(body),
        ),
      );
      return id;
    },

    async subscribe(topic, handler, subscribeOptions) {
      ensureOpen();
      validateTopic(topic);
      if (typeof handler !== 'function') throw badRequest('handler must be a function');
      const settings = resolveSubscribeOptions(subscribeOptions);
      const group = settings.queue === undefined ? `fanout:${randomUUID()}` : `queue:${settings.queue}`;
      const reader = await startGroupReader({
        redis,
        reader: connection.duplicate(),
        stream: streamKey(topic),
        topic,
        group,
        anonymous: settings.queue === undefined,
        settings,
        handler,
      });
      const subscription: Subscription = {
        topic,
        queue: settings.queue,
        async unsubscribe() {
          subscriptions.delete(subscription);
          await reader.stop();
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.unsubscribe().catch(() => {})));
      await connection.close();
    },
  };
}
