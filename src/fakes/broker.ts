/**
 * The Broker fake: the memory broker hosted on an infrastructure node of a sim world (default
 * `broker`), and Broker clients on other nodes that reach it through sim messages. Deliveries
 * travel as sim messages too, to the subscriber's node on a port of its own.
 *
 * The broker knows a subscriber is alive the way a real one knows a connection is: the client
 * renews each subscription every `heartbeatMs`, and a subscription not renewed within `leaseMs`
 * (its node crashed, or is partitioned away) is ended — at-least-once messages it held unacked
 * go to another live member of its group. A heartbeat that reaches the broker after its
 * subscription was ended re-creates it, as a reconnect would. Broker state lives in the broker
 * node's memory: crash that node and in-flight messages are lost, as with a non-durable broker.
 *
 * Trace records (ctx.record) on the broker node: `broker.publish` {topic, id, from (publisher)},
 * `broker.deliver` {topic, id, group, subscriber (node), redelivered}, `broker.ack`,
 * `broker.redeliver` {…, reason}, `broker.drop`, and `broker.subscriber-expired` {subscription};
 * on the subscriber's node, as a delivery arrives: `broker.received` {topic, id, group}.
 */

import { type BrokerEvent, memoryBroker } from '../micro/broker/memory.js';
import { resolveSubscribeOptions } from '../micro/broker/options.js';
import { validateTopic } from '../micro/broker/topic.js';
import type { Broker, MessageHandler, ReceivedMessage, SubscribeConfig, Subscription } from '../micro/broker/types.js';
import { unavailable } from '../micro/errors.js';
import type { TimerHandle } from '../micro/runtime.js';
import type { NodeContext, Sim, SimNode } from '../sim/index.js';
import { recordOn } from './record-hooks.js';
import { connect, DEFAULT_REMOTE_TIMEOUT_MS, serve } from './remote.js';

export const DEFAULT_BROKER_NODE = 'broker';
export const BROKER_PORT = 'broker';
export const DEFAULT_SUBSCRIBER_LEASE_MS = 3_000;
export const DEFAULT_HEARTBEAT_MS = 1_000;

export interface HostBrokerOptions {
  /** Node name. Default: {@link DEFAULT_BROKER_NODE}. */
  readonly node?: string;
  /** A subscription not renewed for this long is ended. Default: {@link DEFAULT_SUBSCRIBER_LEASE_MS}. */
  readonly leaseMs?: number;
}

interface Delivery {
  readonly type: 'deliver';
  readonly subscription: string;
  readonly delivery: string;
  readonly message: Omit<ReceivedMessage, 'ack' | 'nack'>;
}

type SubscribeRequest = [id: string, topic: string, config: SubscribeConfig, port: string];

export function hostBroker(sim: Sim, options: HostBrokerOptions = {}): SimNode {
  const leaseMs = options.leaseMs ?? DEFAULT_SUBSCRIBER_LEASE_MS;
  return sim.node(options.node ?? DEFAULT_BROKER_NODE, (ctx) => {
    // The publishing node, while its publish is being accepted (the record names it as `from`).
    let publisher: string | undefined;
    const broker = memoryBroker({
      runtime: ctx.runtime,
      onEvent: (event: BrokerEvent) =>
        recordOn(sim, ctx, event.type === 'broker.publish' && publisher ? { ...event, from: publisher } : event),
    });
    const connections = new Map<string, Broker>();
    const subscriptions = new Map<string, { readonly subscription: Subscription; lease: TimerHandle }>();
    const unsettled = new Map<string, ReceivedMessage>();
    let deliveries = 0;
    const connection = (node: string) => {
      let broker_ = connections.get(node);
      if (!broker_) connections.set(node, (broker_ = broker.connect(node)));
      return broker_;
    };
    const end = (id: string) => {
      const entry = subscriptions.get(id);
      if (!entry) return;
      entry.lease.cancel();
      subscriptions.delete(id);
      void entry.subscription.unsubscribe();
    };
    const lease = (id: string) =>
      ctx.runtime.timers.setTimeout(() => {
        ctx.record({ type: 'broker.subscriber-expired', subscription: id });
        end(id);
      }, leaseMs);
    const renew = (id: string) => {
      const entry = subscriptions.get(id);
      if (!entry) return false;
      entry.lease.cancel();
      entry.lease = lease(id);
      return true;
    };

    serve(ctx, BROKER_PORT, {
      publish: ([topic, body, publishOptions], { from }) => {
        publisher = from;
        try {
          return connection(from).publish(
            topic as string,
            body as Uint8Array,
            publishOptions as { headers?: Record<string, string> },
          );
        } finally {
          publisher = undefined;
        }
      },
      async subscribe(args, { from }) {
        const [id, topic, config, port] = args as SubscribeRequest;
        if (renew(id)) return;
        const forward: MessageHandler = (message) => {
          const delivery = `${++deliveries}`;
          if (config.delivery === 'at-least-once') unsettled.set(delivery, message);
          const plain = {
            id: message.id,
            topic: message.topic,
            headers: message.headers,
            body: message.body,
            redelivered: message.redelivered,
          };
          ctx.send(from, { type: 'deliver', subscription: id, delivery, message: plain } satisfies Delivery, { port });
        };
        const { queue, delivery, ackTimeoutMs } = config;
        const subscription = await connection(from).subscribe(topic, forward, {
          ...(queue === undefined ? {} : { queue }),
          delivery,
          ackTimeoutMs,
          autoAck: false, // the client acks, over the network
        });
        subscriptions.set(id, { subscription, lease: lease(id) });
      },
      ack: ([delivery]) => settle(delivery as string, 'ack'),
      nack: ([delivery]) => settle(delivery as string, 'nack'),
      heartbeat: ([ids]) => (ids as string[]).filter((id) => !renew(id)),
      unsubscribe: ([id]) => end(id as string),
    });

    async function settle(delivery: string, how: 'ack' | 'nack') {
      const message = unsettled.get(delivery);
      unsettled.delete(delivery);
      await (how === 'ack' ? message?.ack() : message?.nack());
    }
  });
}

export interface BrokerClientOptions {
  /** Node hosting the broker. Default: {@link DEFAULT_BROKER_NODE}. */
  readonly host?: string;
  /** Reply timeout, on the client's clock. Default: DEFAULT_REMOTE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** How often subscriptions are renewed. Default: {@link DEFAULT_HEARTBEAT_MS}. */
  readonly heartbeatMs?: number;
}

const clientCounts = new WeakMap<NodeContext, number>();

/** A Broker on the node of `ctx`, talking to the broker node over the simulated network. */
export function brokerClient(ctx: NodeContext, options: BrokerClientOptions = {}): Broker {
  const host = options.host ?? DEFAULT_BROKER_NODE;
  const remote = connect(ctx, host, BROKER_PORT, { timeoutMs: options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS });
  const number = (clientCounts.get(ctx) ?? 0) + 1;
  clientCounts.set(ctx, number);
  const port = `broker.deliver.${number}`;
  const mine = new Map<
    string,
    { readonly topic: string; readonly handler: MessageHandler; readonly config: SubscribeConfig }
  >();
  let subscriptions = 0;
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable(`broker client on ${ctx.name} is closed`);
  };

  const stopListening = ctx.on(port, ({ payload }) => {
    const { subscription, delivery, message } = payload as Delivery;
    const entry = mine.get(subscription);
    if (!entry) return;
    ctx.record({ type: 'broker.received', topic: message.topic, id: message.id, group: entry.config.queue ?? '' });
    const reliable = entry.config.delivery === 'at-least-once';
    const received: ReceivedMessage = {
      id: message.id,
      topic: message.topic,
      headers: message.headers,
      body: message.body,
      redelivered: message.redelivered,
      ack: async () => (reliable ? remote.call('ack', delivery) : undefined),
      nack: async () => (reliable ? remote.call('nack', delivery) : undefined),
    };
    void Promise.resolve()
      .then(() => entry.handler(received))
      .then(
        () => (reliable && entry.config.autoAck ? received.ack() : undefined),
        () => (reliable && entry.config.autoAck ? received.nack() : undefined),
      )
      .catch(() => {}); // an ack lost in the network: the ack timeout redelivers
  });

  const register = (id: string) => {
    const entry = mine.get(id);
    return entry && remote.call('subscribe', id, entry.topic, entry.config, port);
  };
  const heartbeat = ctx.runtime.timers.setInterval(() => {
    if (mine.size === 0) return;
    remote
      .call<string[]>('heartbeat', [...mine.keys()])
      .then((unknown) => Promise.all(unknown.map(register)))
      .catch(() => {}); // unreachable: the broker will end our subscriptions, we re-create them later
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);

  return {
    async publish(topic, body, publishOptions) {
      ensureOpen();
      return remote.call<string>('publish', topic, body, publishOptions ?? {});
    },
    async subscribe(topic, handler, subscribeOptions) {
      ensureOpen();
      validateTopic(topic);
      const config = resolveSubscribeOptions(subscribeOptions);
      const id = `${ctx.name}/${ctx.incarnation}/${number}/${++subscriptions}`;
      mine.set(id, { topic, handler, config });
      try {
        await register(id);
      } catch (error) {
        mine.delete(id);
        throw error;
      }
      return {
        topic,
        queue: config.queue,
        async unsubscribe() {
          if (!mine.delete(id)) return;
          await remote.call('unsubscribe', id);
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      heartbeat.cancel();
      const ids = [...mine.keys()];
      mine.clear();
      await Promise.all(ids.map((id) => remote.call('unsubscribe', id).catch(() => {})));
      stopListening();
      remote.close();
    },
  };
}
