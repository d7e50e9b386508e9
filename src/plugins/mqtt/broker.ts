/**
 * The MQTT {@link Broker} (mqtt.js, MQTT 5).
 *
 * Layout: topic `t` is the MQTT topic `<prefix>/t`; a queue group `g` is the MQTT 5 shared
 * subscription `$share/g/<prefix>/t`, so each message goes to one member of each group and to
 * every plain subscriber. The message id and headers are MQTT 5 user properties (the id under
 * `microcosm-id`). Each subscribed filter gets a subscription identifier, which routes an
 * incoming message to that filter's handlers.
 *
 * Delivery, named honestly: messages are published with QoS 1 (`publish` resolves on the
 * broker's PUBACK) and subscribed with QoS 0 — at most once. MQTT redelivers QoS 1 messages
 * only when a persistent session reconnects; it has no nack and no ack timeout, so
 * `delivery: 'at-least-once'` is refused with a BAD_REQUEST.
 */

import type { IPublishPacket, MqttClient } from 'mqtt';
import { checkBody, checkHeaders, resolveSubscribeOptions } from '../../micro/broker/options.js';
import { validateTopic } from '../../micro/broker/topic.js';
import type { Broker, MessageHandler, ReceivedMessage, Subscription } from '../../micro/broker/types.js';
import { badRequest, type MicroError, unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, randomId } from '../../micro/runtime.js';
import { attemptOn, backendError } from '../errors.js';
import { loadPeer } from '../../micro/peer.js';

const mqtt = await loadPeer('mqtt', 'mqtt', () => import('mqtt'));

export interface MqttBrokerOptions {
  /** Default: {@link DEFAULT_MQTT_URL}, or `MICROCOSM_MQTT_URL` when set. */
  readonly url?: string;
  /** Topic prefix (one or more levels, no wildcards). Default: {@link DEFAULT_MQTT_PREFIX}. */
  readonly prefix?: string;
  /** Random source for message ids. Default: liveRuntime. */
  readonly runtime?: Runtime;
}

export const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1883';
export const DEFAULT_MQTT_PREFIX = 'microcosm';
export const ID_PROPERTY = 'microcosm-id';

export const mqttError = (operation: string, error: unknown): MicroError => backendError('mqtt', operation, error);
const attempt = <T>(operation: string, work: () => Promise<T>) => attemptOn('mqtt', operation, work);

interface Filter {
  readonly id: number;
  readonly topic: string;
  readonly handlers: Set<MessageHandler>;
}

export function mqttBroker(options: MqttBrokerOptions = {}): Broker {
  const url = options.url ?? process.env.MICROCOSM_MQTT_URL ?? DEFAULT_MQTT_URL;
  const prefix = options.prefix ?? DEFAULT_MQTT_PREFIX;
  const runtime = options.runtime ?? liveRuntime;
  if (prefix.length === 0 || /[#+]/.test(prefix))
    throw badRequest(`mqttBroker: prefix must be non-empty without + or #, got "${prefix}"`);

  const filters = new Map<string, Filter>();
  const byId = new Map<number, Filter>();
  let nextId = 1;
  let client: Promise<MqttClient> | undefined;
  let closed = false;

  const dispatch = (_topic: string, payload: Buffer, packet: IPublishPacket) => {
    const ids = packet.properties?.subscriptionIdentifier;
    const user = packet.properties?.userProperties ?? {};
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(user)) if (key !== ID_PROPERTY) headers[key] = String(value);
    const id = String(user[ID_PROPERTY] ?? '');
    for (const subscriptionId of Array.isArray(ids) ? ids : ids === undefined ? [] : [ids]) {
      const filter = byId.get(subscriptionId);
      if (!filter) continue;
      const message: ReceivedMessage = {
        id,
        topic: filter.topic,
        headers,
        body: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
        redelivered: false,
        ack: async () => {},
        nack: async () => {},
      };
      for (const handler of filter.handlers) void (async () => handler(message))().catch(() => {}); // at most once
    }
  };

  const connect = () => {
    client ??= attempt('connect', async () => {
      const c = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 1_000, connectTimeout: 5_000 });
      c.on('error', () => {});
      c.on('message', dispatch);
      return c;
    });
    client.catch(() => {
      client = undefined;
    });
    return client;
  };
  const ensureOpen = () => {
    if (closed) throw unavailable('mqtt broker is closed');
  };

  return {
    async publish(topic, body, publishOptions) {
      ensureOpen();
      validateTopic(topic);
      checkBody(body);
      const headers = checkHeaders(publishOptions);
      const c = await connect();
      const id = randomId(runtime, 20);
      await attempt('publish', () =>
        c.publishAsync(`${prefix}/${topic}`, Buffer.from(body.buffer, body.byteOffset, body.byteLength), {
          qos: 1,
          properties: { userProperties: { ...headers, [ID_PROPERTY]: id } },
        }),
      );
      return id;
    },

    async subscribe(topic, handler, subscribeOptions) {
      ensureOpen();
      validateTopic(topic);
      const config = resolveSubscribeOptions(subscribeOptions);
      if (config.delivery === 'at-least-once')
        throw badRequest('mqttBroker: MQTT has no nack or ack timeout, so it delivers at most once here');
      const c = await connect();
      const name = config.queue === undefined ? `${prefix}/${topic}` : `$share/${config.queue}/${prefix}/${topic}`;
      let filter = filters.get(name);
      if (!filter) {
        filter = { id: nextId++, topic, handlers: new Set() };
        filters.set(name, filter);
        byId.set(filter.id, filter);
        const granted = await attempt('subscribe', () =>
          c.subscribeAsync(name, { qos: 0, properties: { subscriptionIdentifier: filter?.id ?? 0 } }),
        );
        if (granted.some((grant) => grant.qos >= 128))
          throw unavailable(`mqtt subscribe: the broker refused "${name}"`);
      }
      filter.handlers.add(handler);
      const mine = filter;
      let active = true;
      return {
        topic,
        queue: config.queue,
        async unsubscribe() {
          if (!active) return;
          active = false;
          mine.handlers.delete(handler);
          if (mine.handlers.size > 0) return;
          filters.delete(name);
          byId.delete(mine.id);
          await c.unsubscribeAsync(name).catch(() => undefined);
        },
      } satisfies Subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      filters.clear();
      byId.clear();
      const c = await client?.catch(() => undefined);
      await c?.endAsync().catch(() => undefined);
    },
  };
}
