/**
 * Broker: fire-and-forget publish/subscribe between services, with queue groups and the
 * delivery guarantee named explicitly per subscription.
 *
 * Contract (every implementation — memory, fake, Redis, NATS, RabbitMQ, MQTT — meets it; the
 * executable form is `brokerConformance` in src/conformance/broker.ts):
 * - Topics are exact names (no wildcards), validated by {@link validateTopic}: non-empty, at most
 *   255 characters, no whitespace, none of `* > # +`, no empty `.`-separated segment. Unicode is
 *   allowed. A bad topic is rejected with a BAD_REQUEST MicroError naming it.
 * - `publish` resolves once the broker has accepted the message; subscribers registered (their
 *   `subscribe` promise resolved) before the publish was accepted receive it. A message with no
 *   subscriber is dropped — the broker is not durable; use Events for that.
 * - Fan-out: every subscription without a `queue` gets every message. Queue groups: a message goes
 *   to exactly one live member of each group (every group gets it). Members are chosen round-robin
 *   in the memory version; other backends may choose differently — callers must not depend on which.
 * - 'at-most-once' (the default): a message is handed to the handler once; whatever the handler
 *   does, it is never redelivered, and a crash of the subscriber loses it.
 * - 'at-least-once': a delivery is settled by an ack. With `autoAck` (default true) the handler
 *   resolving acks and the handler throwing nacks; with `autoAck: false` the handler calls
 *   `message.ack()` / `message.nack()`. A nacked message, a message not acked within
 *   `ackTimeoutMs`, and the unacked messages of a subscription that ends (unsubscribe, crash,
 *   lost connection) are redelivered — to a live member of the same group, possibly the same one —
 *   with `redelivered: true`. While a group has no live member its unacked messages wait for one.
 *   Duplicates are therefore possible; handlers must be idempotent (the id is stable across
 *   redeliveries).
 * - `unsubscribe` is idempotent; after it resolves the handler is not called again.
 * - `close` ends every subscription and rejects later calls with UNAVAILABLE.
 */

export const DELIVERY_MODES = ['at-most-once', 'at-least-once'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** What a publisher sends. */
export interface BrokerMessage {
  /** Unique per published message and stable across redeliveries. */
  readonly id: string;
  readonly topic: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** What a subscriber receives: the message and the means to settle it. */
export interface ReceivedMessage extends BrokerMessage {
  /** True when this message was handed out before (at-least-once only). */
  readonly redelivered: boolean;
  /** Settle the delivery. A no-op for at-most-once and for an already settled delivery. */
  ack(): Promise<void>;
  /** Ask for redelivery now. A no-op for at-most-once and for an already settled delivery. */
  nack(): Promise<void>;
}

export type MessageHandler = (message: ReceivedMessage) => void | Promise<void>;

export interface PublishOptions {
  /** Headers carried with the message. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SubscribeOptions {
  /** Queue group: each message goes to one live member of the group. Default: none (fan-out). */
  readonly queue?: string;
  /** Delivery guarantee. Default: {@link DEFAULT_DELIVERY} ('at-most-once'). */
  readonly delivery?: DeliveryMode;
  /** At-least-once: ack when the handler resolves, nack when it throws. Default: true. */
  readonly autoAck?: boolean;
  /** At-least-once: redeliver a delivery not acked within this many ms. Default: {@link DEFAULT_ACK_TIMEOUT_MS}. */
  readonly ackTimeoutMs?: number;
}

export const DEFAULT_DELIVERY: DeliveryMode = 'at-most-once';
export const DEFAULT_ACK_TIMEOUT_MS = 30_000;

/** SubscribeOptions with every default filled in; see {@link resolveSubscribeOptions}. */
export interface SubscribeConfig {
  readonly queue: string | undefined;
  readonly delivery: DeliveryMode;
  readonly autoAck: boolean;
  readonly ackTimeoutMs: number;
}

export interface Subscription {
  readonly topic: string;
  readonly queue: string | undefined;
  /** Stop receiving. Idempotent. At-least-once: unacked messages go back to the group. */
  unsubscribe(): Promise<void>;
}

export interface Broker {
  /** Publish `body` to `topic`; resolves with the message id once the broker accepted it. */
  publish(topic: string, body: Uint8Array, options?: PublishOptions): Promise<string>;
  /** Register `handler`; resolves once the subscription is live. */
  subscribe(topic: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** End every subscription; later calls reject with UNAVAILABLE. Idempotent. */
  close(): Promise<void>;
}
