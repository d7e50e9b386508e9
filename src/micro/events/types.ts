/**
 * Events: durable, ordered streams with consumer groups — publish once, consume from any point,
 * settle each message with an ack, and have the unsettled ones redelivered.
 *
 * Contract (every implementation meets it; the executable form is `eventsConformance` in
 * src/conformance/events.ts):
 * - Streams are named like broker topics (see `validateTopic`); a bad name is a BAD_REQUEST.
 * - `publish` appends and resolves with the message's `offset` (≥ 1, strictly increasing per
 *   stream; the memory version and the fake number 1, 2, 3 … without gaps; a backend may leave
 *   gaps) and `timestamp` (epoch ms on the stream's clock). An accepted message is durable.
 * - Delivery into the stream. A publish that resolved appended exactly once. A publish that
 *   failed with a retryable error (UNAVAILABLE, TIMEOUT: the reply was lost) may or may not
 *   have appended, so a plain retry is at-least-once: it can append a second copy. A publish
 *   carrying a `dedup` key ({@link PublishKey}: producer + sequence) is idempotent: another
 *   publish of the same key to the same stream within the dedup window (default
 *   {@link DEFAULT_DEDUP_WINDOW_MS}, 2 minutes, from the first publish) appends
 *   nothing and resolves with the first one's id, offset and timestamp and `duplicate: true` —
 *   so retrying an ambiguous failure with the same key appends once. Memory, the sim fake,
 *   Redis (a Lua script with a dedup key) and NATS (JetStream's `Nats-Msg-Id`, the stream's
 *   duplicate window) all deduplicate; a backend that cannot declares the `idempotentPublish`
 *   capability as not offered and stays at-least-once. `idempotentPublisher` (idempotent.ts)
 *   numbers a producer's publishes and retries them with the same key.
 * - `read` replays a range of the stream without any group state: replay from the start at any
 *   time, as often as you like.
 * - `consume` joins a consumer group (named, or an anonymous group of one). The group has ONE
 *   cursor shared by its consumers; `startAt` positions it only when the group is created
 *   (an existing group resumes where it was — after a restart of the server too: the fake keeps
 *   named groups' positions on its disk, Redis and JetStream as durably as the server persists
 *   data; the unacked records are then handed out again, the acked ones never; memory's
 *   positions live as long as the instance). `consume` resolves once the group is positioned,
 *   so a message published after that is seen even with `startAt: { type: 'latest' }`.
 * - Each message is handed to one consumer of each group. `ack: 'auto'` settles a message as it is
 *   handed out (at-most-once: never redelivered). `ack: 'manual'` (the default) needs
 *   `message.ack()`; `nack()`, a missed `ackDeadlineMs`, or the consumer closing/crashing hands
 *   the message out again (`deliveries` counts hand-outs, starting at 1). A message handed out
 *   `maxDeliveries` times without an ack is dead-lettered: appended to `deadLetter` (if set) with
 *   headers `x-dead-letter-stream`, `x-dead-letter-offset`, `x-dead-letter-deliveries`, then
 *   settled. Acking any delivery of a message settles it; acking a settled message is a no-op.
 * - Ordering. Per group, first deliveries are handed out in offset order. A redelivery is handed
 *   out before any first delivery that is not yet out, lowest offset first — so under redelivery a
 *   consumer may see offset 5 and then offset 3 again. With `maxInFlight: 1` the group has at most
 *   one unsettled message, so every consumer of it sees offsets in strictly ascending order, each
 *   repeated until settled, with no message overtaking an unsettled one.
 * - A consumer is an async iterable; iteration ends after `close()` (or `close` on Events).
 *   Breaking out of a `for await` closes the consumer.
 */

export interface EventRecord {
  /** Unique per published message (stable across redeliveries and dead-lettering copies keep their own). */
  readonly id: string;
  readonly stream: string;
  readonly offset: number;
  /** Epoch ms at which the stream accepted the message. */
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** One hand-out of a record to a consumer. */
export interface EventMessage extends EventRecord {
  readonly group: string;
  /** How many times this record has been handed out in this group, this one included (1-based). */
  readonly deliveries: number;
  /** Settle the record for the group. No-op when already settled or in 'auto' mode. */
  ack(): Promise<void>;
  /** Hand the record out again, after `delayMs` (default 0). No-op when already settled or in 'auto' mode. */
  nack(delayMs?: number): Promise<void>;
}

export type StartAt =
  | { readonly type: 'earliest' }
  /** Only messages published after the group was created. */
  | { readonly type: 'latest' }
  /** The first message with offset ≥ `offset`. */
  | { readonly type: 'offset'; readonly offset: number }
  /** The first message with timestamp ≥ `time` (epoch ms). */
  | { readonly type: 'time'; readonly time: number };

export const ACK_MODES = ['auto', 'manual'] as const;
export type AckMode = (typeof ACK_MODES)[number];

/**
 * What makes a publish idempotent: who publishes (stable across that producer's retries, e.g. a
 * service instance's id; printable ASCII without spaces or `/`, ≤ 200 characters) and which of
 * its publishes this is (an integer ≥ 0). A retry reuses the key; a new publish takes a new
 * sequence.
 */
export interface PublishKey {
  readonly producer: string;
  readonly sequence: number;
}

/** How long a backend remembers a {@link PublishKey} (JetStream's default duplicate window). */
export const DEFAULT_DEDUP_WINDOW_MS = 120_000;

export interface EventPublishOptions {
  /** Headers carried with the message. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deduplicate by this key (see the contract above). Default: none — every call appends. */
  readonly dedup?: PublishKey;
}

/** What `publish` resolves with. */
export interface Published {
  readonly id: string;
  readonly offset: number;
  readonly timestamp: number;
  /** True when `dedup` matched an earlier publish: nothing was appended, the fields are that publish's. */
  readonly duplicate: boolean;
}

export interface ConsumeOptions {
  /** Consumer group. Default: an anonymous group private to this consumer. */
  readonly group?: string;
  /** Where a new group starts. Default: {@link DEFAULT_START_AT} (earliest). */
  readonly startAt?: StartAt;
  /** Default: {@link DEFAULT_ACK_MODE} ('manual'). */
  readonly ack?: AckMode;
  /** Manual mode: redeliver when not acked within this many ms. Default: {@link DEFAULT_ACK_DEADLINE_MS}. */
  readonly ackDeadlineMs?: number;
  /** Hand-outs before a record is dead-lettered (≥ 1). Default: {@link DEFAULT_MAX_DELIVERIES}. */
  readonly maxDeliveries?: number;
  /** Stream that receives dead-lettered records. Default: none (they are dropped, and traced). */
  readonly deadLetter?: string;
  /** Most unsettled records the group hands out at once (≥ 1). Default: {@link DEFAULT_MAX_IN_FLIGHT}. */
  readonly maxInFlight?: number;
}

export const DEFAULT_START_AT: StartAt = { type: 'earliest' };
export const DEFAULT_ACK_MODE: AckMode = 'manual';
export const DEFAULT_ACK_DEADLINE_MS = 30_000;
export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** ConsumeOptions with every default filled in; see `resolveConsumeOptions`. */
export interface ConsumeConfig {
  readonly group: string | undefined;
  readonly startAt: StartAt;
  readonly ack: AckMode;
  readonly ackDeadlineMs: number;
  readonly maxDeliveries: number;
  readonly deadLetter: string | undefined;
  readonly maxInFlight: number;
}

export interface ReadOptions {
  /** Default: earliest. */
  readonly startAt?: StartAt;
  /** Most records returned. Default: {@link DEFAULT_READ_LIMIT}. */
  readonly limit?: number;
}

export const DEFAULT_READ_LIMIT = 1_000;

export interface Consumer extends AsyncIterable<EventMessage> {
  readonly stream: string;
  readonly group: string;
  /** The next hand-out; resolves `undefined` once the consumer is closed. */
  next(): Promise<EventMessage | undefined>;
  /** Stop consuming; this consumer's unsettled records go back to the group. Idempotent. */
  close(): Promise<void>;
}

export interface Events {
  publish(stream: string, body: Uint8Array, options?: EventPublishOptions): Promise<Published>;
  consume(stream: string, options?: ConsumeOptions): Promise<Consumer>;
  read(stream: string, options?: ReadOptions): Promise<readonly EventRecord[]>;
  /** Close every consumer; later calls reject with UNAVAILABLE. Idempotent. */
  close(): Promise<void>;
}
