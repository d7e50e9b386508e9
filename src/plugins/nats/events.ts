/**
 * The NATS {@link Events}, on JetStream.
 *
 * Layout: stream `s` is the JetStream stream `<PREFIX>_<escaped s>` (file storage, direct get
 * allowed) holding the one subject `<prefix>.events.<s>`; the offset is the JetStream sequence
 * and the timestamp the server's. The message id and publisher headers travel as the NATS
 * headers `Microcosm-Id` and `Microcosm-Headers` (URI-encoded JSON). A consumer group is a
 * durable pull consumer named after the group (explicit acks, `ack_wait` = the ack deadline,
 * `max_ack_pending` = maxInFlight, the deliver policy from `startAt`); an anonymous consumer is
 * an ephemeral one. Each `next()` pulls exactly one message, so a hand-out happens when the
 * consumer asks for it. Closing a consumer stops its outstanding pull and then naks what it
 * holds, so the group hands it out again at
 * once. `read` replays through an ordered consumer. Dead letters are decided here: a message arriving for the (maxDeliveries+1)-th time
 * is appended to the dead-letter stream with the `x-dead-letter-*` headers and terminated.
 *
 * A publish with a `dedup` key sends it as JetStream's `Nats-Msg-Id` (`<producer>/<sequence>`):
 * the server drops a repeat within the stream's duplicate window (2 minutes, JetStream's default)
 * and its ack names the first message's sequence, whose id and time are read back. A publish
 * whose ack was lost (UNAVAILABLE) may have been stored: retry it with the same key and it is
 * stored once.
 *
 * Plain NATS clients interoperate: publish to `<prefix>.events.<s>` (or read the stream) and
 * the records are the same.
 */

import type { ConsumerConfig, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { checkBody, checkHeaders } from '../../micro/broker/options.js';
import { backoffDelay } from '../../micro/client/backoff.js';
import { badRequest, unavailable } from '../../micro/errors.js';
import {
  checkDedup,
  dedupId,
  resolveConsumeOptions,
  resolveReadOptions,
  validateStream,
} from '../../micro/events/options.js';
import type { Consumer, EventMessage, EventRecord, Events, StartAt } from '../../micro/events/types.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, randomId, sleep } from '../../micro/runtime.js';
import { HEADERS_HEADER, ID_HEADER } from './broker.js';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, headers as natsHeaders } from './client.js';
import { attempt, lazyConnection, type NatsOptions, resolveNatsOptions } from './connection.js';
import { jetStreamName } from './names.js';

export interface NatsEventsOptions extends NatsOptions {
  /** Random source for message ids and anonymous consumer names. Default: liveRuntime. */
  readonly runtime?: Runtime;
}

/** How long one pull waits for a message before asking again (JetStream's minimum is 1 s). */
const PULL_EXPIRES_MS = 1_000;
/** Between failed pulls (the link down, the consumer gone): jittered exponential backoff. */
const PULL_RETRY_BACKOFF = { baseMs: 100, maxMs: 2_000 } as const;

const encodeHeaders = (id: string, extra: Readonly<Record<string, string>>) => {
  const h = natsHeaders();
  h.set(ID_HEADER, id);
  if (Object.keys(extra).length > 0) h.set(HEADERS_HEADER, encodeURIComponent(JSON.stringify(extra)));
  return h;
};

const decodeHeaders = (encoded: string | undefined): Record<string, string> => {
  if (!encoded) return {};
  try {
    return JSON.parse(decodeURIComponent(encoded)) as Record<string, string>;
  } catch {
    return {};
  }
};

function deliverPolicy(startAt: StartAt): Partial<ConsumerConfig> {
  switch (startAt.type) {
    case 'earliest':
      return { deliver_policy: DeliverPolicy.All };
    case 'latest':
      return { deliver_policy: DeliverPolicy.New };
    case 'offset':
      return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startAt.offset };
    case 'time':
      return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(startAt.time).toISOString() };
    default: {
      const never: never = startAt;
      throw badRequest(`natsEvents: unknown startAt ${JSON.stringify(never)}`);
    }
  }
}

export function natsEvents(options: NatsEventsOptions = {}): Events {
  const config = resolveNatsOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const connection = lazyConnection(config);
  const consumers = new Set<Consumer>();
  const ensured = new Map<string, Promise<string>>();
  let clients: Promise<{ js: JetStreamClient; jsm: JetStreamManager }> | undefined;
  let closed = false;

  const ensureOpen = () => {
    if (closed) throw unavailable('nats events is closed');
  };
  const jet = () => {
    clients ??= connection().then(async (nc) => ({ js: jetstream(nc), jsm: await jetstreamManager(nc) }));
    return clients;
  };
  const subject = (stream: string) => `${config.prefix}.events.${stream}`;

  /** Create the stream on first use; resolves with its JetStream name. */
  const ensureStream = (stream: string): Promise<string> => {
    let done = ensured.get(stream);
    if (!done) {
      const name = `${jetStreamName(config.prefix)}_${jetStreamName(stream)}`;
      done = attempt('create stream', async () => {
        const { jsm } = await jet();
        try {
          await jsm.streams.info(name);
        } catch {
          await jsm.streams.add({ name, subjects: [subject(stream)], allow_direct: true });
        }
        return name;
      });
      done.catch(() => ensured.delete(stream));
      ensured.set(stream, done);
    }
    return done;
  };

  const toRecord = (
    stream: string,
    m: { seq: number; data: Uint8Array },
    headers: { get(k: string): string } | undefined,
    timestamp: number,
  ): EventRecord => ({
    id: headers?.get(ID_HEADER) ?? '',
    stream,
    offset: m.seq,
    timestamp,
    headers: decodeHeaders(headers?.get(HEADERS_HEADER)),
    body: m.data,
  });

  const publish: Events['publish'] = async (stream, body, publishOptions) => {
    ensureOpen();
    validateStream(stream);
    checkBody(body);
    const extra = checkHeaders(publishOptions);
    const dedup = checkDedup(publishOptions);
    const name = await ensureStream(stream);
    const { js, jsm } = await jet();
    const id = randomId(runtime, 20);
    const headers = encodeHeaders(id, extra);
    // The publish ack carries no time (checked on NATS 2.9.10): the stored message's is read back from the
    // stream leader — a second round trip. A direct get measured no faster here, and a replica
    // serving it may not hold the message yet.
    const ack = await attempt('publish', () =>
      connection.guard(() =>
        js.publish(subject(stream), body, dedup ? { headers, msgID: dedupId(dedup) } : { headers }),
      ),
    );
    const stored = await attempt('publish', () =>
      connection.guard(() => jsm.streams.getMessage(name, { seq: ack.seq })),
    );
    const first = ack.duplicate ? (stored?.header.get(ID_HEADER) ?? '') : id;
    return { id: first, offset: ack.seq, timestamp: stored?.time.getTime() ?? 0, duplicate: ack.duplicate };
  };

  return {
    publish,

    async read(stream, readOptions) {
      ensureOpen();
      validateStream(stream);
      const { startAt, limit } = resolveReadOptions(readOptions);
      const name = await ensureStream(stream);
      const { js, jsm } = await jet();
      const info = await attempt('read', () => jsm.streams.info(name));
      const last = info.state.last_seq;
      if (startAt.type === 'latest' || info.state.messages === 0) return [];
      if (startAt.type === 'offset' && startAt.offset > last) return [];
      if (startAt.type === 'time' && startAt.time > new Date(info.state.last_ts).getTime()) return [];
      // An ordered consumer replays without group state; `pending` tells when the stream's end is reached.
      const records: EventRecord[] = [];
      await attempt('read', async () => {
        const ordered = await js.consumers.get(name, deliverPolicy(startAt));
        const messages = await ordered.consume({ max_messages: Math.min(limit, 256) });
        for await (const m of messages) {
          records.push(toRecord(stream, m, m.headers, Math.floor(Number(m.info.timestampNanos) / 1e6)));
          if (records.length >= limit || m.info.pending === 0) break;
        }
        await messages.close().catch(() => undefined);
      });
      return records;
    },

    async consume(stream, consumeOptions) {
      ensureOpen();
      validateStream(stream);
      const settings = resolveConsumeOptions(consumeOptions);
      const name = await ensureStream(stream);
      const { js, jsm } = await jet();
      const group = settings.group ?? `anonymous-${randomId(runtime, 12)}`;
      const durable = jetStreamName(group);
      const manual = settings.ack === 'manual';
      /** Make the consumer unless it exists (an existing group resumes where it was). */
      const ensureConsumer = (startAt: StartAt) =>
        attempt('consume', async () => {
          try {
            await jsm.consumers.info(name, durable);
          } catch {
            await jsm.consumers.add(name, {
              durable_name: durable,
              ack_policy: manual ? AckPolicy.Explicit : AckPolicy.None,
              ack_wait: settings.ackDeadlineMs * 1_000_000,
              max_ack_pending: settings.maxInFlight,
              ...(settings.group === undefined ? { inactive_threshold: 60_000_000_000 } : {}),
              ...deliverPolicy(startAt),
            });
          }
        });
      await ensureConsumer(settings.startAt);
      const pull = await attempt('consume', () => js.consumers.get(name, durable));
      const held = new Map<JsMsg, number>(); // → when it was handed out (runtime clock)
      let open = true;
      let pulling: { readonly done: Promise<unknown>; readonly stop: () => Promise<unknown> } | undefined;
      let lastHandedOut = 0; // the stream sequence of the last message handed out
      let failedPulls = 0; // in a row

      /**
       * A pull failed: the link is down (the client re-issues no fetch after reconnecting) or the
       * consumer is gone (deleted, or idle past its inactive threshold while the link was down).
       * Back off on the runtime's timers, then make the consumer again, after what was handed out.
       */
      const recover = async () => {
        const { baseMs, maxMs } = PULL_RETRY_BACKOFF;
        await sleep(runtime, backoffDelay(failedPulls++, runtime.random, baseMs, maxMs));
        if (!open || closed) return;
        const from: StartAt = lastHandedOut > 0 ? { type: 'offset', offset: lastHandedOut + 1 } : settings.startAt;
        await connection.guard(() => ensureConsumer(from)).catch(() => undefined);
      };

      /** Pull one message; a closing consumer stops the pull (its inbox goes away, and with it the server's interest). */
      const pullOne = async (): Promise<JsMsg | null> => {
        const batch = await pull.fetch({ max_messages: 1, expires: PULL_EXPIRES_MS });
        const done = (async () => {
          for await (const m of batch) return m;
          return null;
        })();
        pulling = { done, stop: () => batch.close() };
        try {
          return await done;
        } finally {
          pulling = undefined;
        }
      };

      const deadLetter = async (m: JsMsg) => {
        const record = toRecord(stream, m, m.headers, Math.floor(Number(m.info.timestampNanos) / 1e6));
        if (settings.deadLetter !== undefined)
          await publish(settings.deadLetter, record.body, {
            headers: {
              ...record.headers,
              'x-dead-letter-stream': stream,
              'x-dead-letter-offset': String(record.offset),
              'x-dead-letter-deliveries': String(settings.maxDeliveries),
            },
          });
        m.term('dead-lettered');
      };

      const handOut = (m: JsMsg): EventMessage => {
        lastHandedOut = Math.max(lastHandedOut, m.seq);
        if (manual) held.set(m, runtime.clock.now());
        let settled = !manual;
        return {
          ...toRecord(stream, m, m.headers, Math.floor(Number(m.info.timestampNanos) / 1e6)),
          group,
          deliveries: m.info.deliveryCount,
          async ack() {
            if (settled) return;
            settled = true;
            held.delete(m);
            await attempt('ack', () => m.ackAck()).catch(() => false);
          },
          async nack(delayMs = 0) {
            if (settled) return;
            settled = true;
            held.delete(m);
            m.nak(delayMs);
          },
        };
      };

      const consumer: Consumer = {
        stream,
        group,
        async next() {
          while (open && !closed) {
            const m = await pullOne().then(
              (got) => {
                failedPulls = 0;
                return got;
              },
              async () => {
                await recover();
                return null;
              },
            );
            if (!m) continue;
            if (!open || closed) {
              if (manual) m.nak();
              return undefined;
            }
            if (manual && m.info.deliveryCount > settings.maxDeliveries) {
              await deadLetter(m);
              continue;
            }
            return handOut(m);
          }
          return undefined;
        },
        async close() {
          if (!open) return;
          open = false;
          consumers.delete(consumer);
          // End an outstanding pull first: a record naked while it is open would be handed
          // straight back to this closing consumer (and count a delivery nobody saw).
          await pulling?.stop().catch(() => undefined);
          await pulling?.done.catch(() => undefined);
          // Only what is still ours: past its deadline the server has already handed it out again.
          const now = runtime.clock.now();
          for (const [m, at] of held) if (now - at < settings.ackDeadlineMs) m.nak();
          held.clear();
          if (settings.group === undefined) await jsm.consumers.delete(name, durable).catch(() => false);
        },
        async *[Symbol.asyncIterator]() {
          try {
            for (let m = await consumer.next(); m; m = await consumer.next()) yield m;
          } finally {
            await consumer.close();
          }
        },
      };
      consumers.add(consumer);
      return consumer;
    },

    async close() {
      if (closed) return;
      for (const consumer of [...consumers]) await consumer.close();
      closed = true;
      await connection.close();
    },
  };
}
