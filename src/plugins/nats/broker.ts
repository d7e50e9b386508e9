/**
 * The NATS {@link Broker}, on core NATS subjects.
 *
 * Layout: topic `t` is subject `<prefix>.t` (topic names are already portable: no whitespace,
 * `*`, `>`; see `validateName`). The message id travels as the NATS header `Microcosm-Id`, the
 * publisher's headers as URI-encoded JSON in `Microcosm-Headers`. A body larger than the
 * server's `max_payload` (1 MiB by default) is refused with a BAD_REQUEST naming the limit. A queue group is a NATS queue subscription, so
 * each message goes to one member of the group and every group and plain subscriber gets it.
 *
 * Delivery, named honestly: core NATS is at-most-once — the server keeps nothing, so a
 * subscriber that is down or slow loses messages and nothing is ever redelivered.
 * `delivery: 'at-least-once'` is refused with a BAD_REQUEST naming the alternative
 * (`natsEvents`, on JetStream). `publish` resolves after a flush round trip, so the server has
 * the message; `subscribe` resolves after the server has the subscription.
 */
import type { Msg, Subscription as NatsSubscription } from '@nats-io/transport-node';
import { checkBody, checkHeaders, resolveSubscribeOptions } from '../../micro/broker/options.js';
import { validateTopic } from '../../micro/broker/topic.js';
import type { Broker, ReceivedMessage, Subscription } from '../../micro/broker/types.js';
import { badRequest, unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, randomId } from '../../micro/runtime.js';
import { headers as natsHeaders } from './client.js';
import { attempt, lazyConnection, type NatsOptions, resolveNatsOptions } from './connection.js';

export interface NatsBrokerOptions extends NatsOptions {
  /** Random source for message ids. Default: liveRuntime. */
  readonly runtime?: Runtime;
}

export const ID_HEADER = 'Microcosm-Id';
/** The publisher's headers, as URI-encoded JSON: NATS header names must be ASCII tokens, ours need not be. */
export const HEADERS_HEADER = 'Microcosm-Headers';
const HEADER_ALLOWANCE_BYTES = 4_096;

function decodeHeaders(encoded: string | undefined): Record<string, string> {
  if (!encoded) return {};
  try {
    return JSON.parse(decodeURIComponent(encoded)) as Record<string, string>;
  } catch {
    return {};
  }
}

export function natsBroker(options: NatsBrokerOptions = {}): Broker {
  const config = resolveNatsOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const connection = lazyConnection(config);
  const subscriptions = new Set<NatsSubscription>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('nats broker is closed');
  };
  const subject = (topic: string) => `${config.prefix}.${topic}`;

  return {
    async publish(topic, body, publishOptions) {
      ensureOpen();
      validateTopic(topic);
      checkBody(body);
      const extra = checkHeaders(publishOptions);
      const id = randomId(runtime, 20);
      const nc = await connection();
      const h = natsHeaders();
      h.set(ID_HEADER, id);
      if (Object.keys(extra).length > 0) h.set(HEADERS_HEADER, encodeURIComponent(JSON.stringify(extra)));
      const limit = nc.info?.max_payload;
      if (limit !== undefined && body.byteLength > limit - HEADER_ALLOWANCE_BYTES)
        throw badRequest(
          `natsBroker: a ${body.byteLength}-byte body exceeds the server's max_payload (${limit} bytes, less headers)`,
        );
      // While the client reconnects this fails at once (retryable UNAVAILABLE) instead of waiting for it.
      await attempt('publish', () =>
        connection.guard(async () => {
          nc.publish(subject(topic), body, { headers: h });
          await nc.flush();
        }),
      );
      return id;
    },

    async subscribe(topic, handler, subscribeOptions) {
      ensureOpen();
      validateTopic(topic);
      const config = resolveSubscribeOptions(subscribeOptions);
      if (config.delivery === 'at-least-once')
        throw badRequest('natsBroker: core NATS delivers at most once; use natsEvents (JetStream) for at-least-once');
      const nc = await connection();
      const receive = (message: Msg) => {
        const headers = decodeHeaders(message.headers?.get(HEADERS_HEADER));
        const received: ReceivedMessage = {
          id: message.headers?.get(ID_HEADER) ?? '',
          topic,
          headers,
          body: message.data,
          redelivered: false,
          ack: async () => {},
          nack: async () => {},
        };
        void (async () => handler(received))().catch(() => {}); // at-most-once: a failed handler loses it
      };
      // The client resends the subscription after every reconnect: it lives as long as the connection.
      let made: NatsSubscription | undefined;
      const sub = await attempt('subscribe', () =>
        connection.guard(async () => {
          made = nc.subscribe(subject(topic), {
            ...(config.queue === undefined ? {} : { queue: config.queue }),
            callback: (error, message) => {
              if (!error) receive(message);
            },
          });
          await nc.flush();
          return made;
        }),
      ).catch((error: unknown) => {
        made?.unsubscribe(); // not left for the client to resend once it reconnects
        throw error;
      });
      subscriptions.add(sub);
      let done = false;
      const subscription: Subscription = {
        topic,
        queue: config.queue,
        async unsubscribe() {
          if (done) return;
          done = true;
          subscriptions.delete(sub);
          sub.unsubscribe(); // while the client reconnects: dropped from what it resends
          await connection.guard(() => nc.flush()).catch(() => {});
        },
      };
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const sub of subscriptions) sub.unsubscribe();
      subscriptions.clear();
      await connection.close();
    },
  };
}
