/**
 * The Redis {@link Events}, on Streams with consumer groups.
 *
 * Layout: a stream is a Redis stream `<prefix>:events:<stream>`; a record is an entry whose id
 * is `<offset>-0` (so XRANGE by offset is native) with fields `id`, `h` (headers JSON), `b` (body
 * bytes) and `t` (timestamp, the server's TIME in ms). Offsets come from the counter
 * `<prefix>:events:<stream>:offset`, assigned in the same Lua script as the XADD: 1, 2, 3 …
 * A consumer group is a Redis consumer group of the same name (`anon:<uuid>` for an anonymous
 * one, destroyed when its consumer closes).
 *
 * How the contract maps onto Redis:
 * - `startAt` becomes the group's start id at XGROUP CREATE; an existing group keeps its cursor
 *   (BUSYGROUP). `time` finds the first record with `t ≥ time` by scanning the stream.
 * - 'auto' ack reads with NOACK. 'manual' keeps hand-outs in the group's pending list until
 *   XACK; `nack(delay)` and a closing consumer hand them back by resetting their idle time, and
 *   a hand-out idle for `ackDeadlineMs` is taken over with XAUTOCLAIM (redeliveries go first);
 *   `deliveries` is Redis' delivery counter. A record claimed more than `maxDeliveries` times
 *   is appended to `deadLetter` with the x-dead-letter-* headers and acked instead.
 * - `maxInFlight` is checked against the group's pending count before each read (consumers of
 *   one group racing may briefly exceed it; with one consumer it is exact).
 */
import { randomUUID } from 'node:crypto';
import { checkBody, checkHeaders } from '../../micro/broker/options.js';
import { unavailable } from '../../micro/errors.js';
import { resolveConsumeOptions, resolveReadOptions, validateStream } from '../../micro/events/options.js';
import type { EventRecord, Events, StartAt } from '../../micro/events/types.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';
import { openConsumer } from './events-consumer.js';
import { luaScript } from './script.js';
import { bodyOf, headersOf, parseEntries, type StreamEntry, toBuffer } from './stream-entry.js';

export type RedisEventsOptions = RedisOptions;

const PUBLISH = luaScript(`
local offset = redis.call('INCR', KEYS[2])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('XADD', KEYS[1], offset .. '-0', 'id', ARGV[1], 'h', ARGV[2], 'b', ARGV[3], 't', ms)
return {offset, ms}
`);

const SCAN_BATCH = 1_000;

export function redisEvents(options: RedisEventsOptions = {}): Events {
  const config = resolveRedisOptions(options);
  const connection = openRedis(config);
  const { redis } = connection;
  const streamKey = (stream: string) => `${config.prefix}:events:${stream}`;
  const consumers = new Set<{ close(): Promise<void> }>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('redis events is closed');
  };

  async function append(stream: string, body: Uint8Array, headers: Record<string, string>) {
    const id = randomUUID();
    const [offset, timestamp] = (await attempt('events publish', () =>
      PUBLISH.run(
        redis,
        [streamKey(stream), `${streamKey(stream)}:offset`],
        [id, JSON.stringify(headers), toBuffer(body)],
      ),
    )) as [number, number];
    return { id, offset: Number(offset), timestamp: Number(timestamp) };
  }

  /** The entry id after which `startAt` begins ('$' = after the current last entry). */
  async function startId(stream: string, startAt: StartAt): Promise<string> {
    switch (startAt.type) {
      case 'earliest':
        return '0-0';
      case 'latest':
        return '$';
      case 'offset':
        return `${startAt.offset - 1}-0`;
      case 'time': {
        for (let from = '-'; ; ) {
          const batch = parseEntries(
            await redis.callBuffer('XRANGE', streamKey(stream), from, '+', 'COUNT', SCAN_BATCH),
          );
          const first = batch.find((e) => Number(e.fields.get('t')?.toString()) >= startAt.time);
          if (first !== undefined) return `${offsetOf(first) - 1}-0`;
          if (batch.length < SCAN_BATCH) return '$';
          from = `(${batch[batch.length - 1]!.entryId}`;
        }
      }
      default: {
        const never: never = startAt;
        return never;
      }
    }
  }

  return {
    async publish(stream, body, publishOptions) {
      ensureOpen();
      validateStream(stream);
      checkBody(body);
      return append(stream, body, checkHeaders(publishOptions));
    },

    async read(stream, readOptions) {
      ensureOpen();
      validateStream(stream);
      const { startAt, limit } = resolveReadOptions(readOptions);
      if (startAt.type === 'latest') return [];
      const from = await attempt('events read', () => startId(stream, startAt));
      if (from === '$') return [];
      const raw = await attempt('events read', () =>
        redis.callBuffer('XRANGE', streamKey(stream), `(${from}`, '+', 'COUNT', limit),
      );
      return parseEntries(raw).map((entry) => toRecord(stream, entry));
    },

    async consume(stream, consumeOptions) {
      ensureOpen();
      validateStream(stream);
      const settings = resolveConsumeOptions(consumeOptions);
      const group = settings.group ?? `anon:${randomUUID()}`;
      const key = streamKey(stream);
      await attempt('events consume', async () => {
        try {
          await redis.xgroup('CREATE', key, group, await startId(stream, settings.startAt), 'MKSTREAM');
        } catch (error) {
          if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
        }
      });
      const consumer = await openConsumer({
        redis,
        reader: connection.duplicate(),
        key,
        stream,
        group,
        anonymous: settings.group === undefined,
        settings,
        toRecord: (entry) => toRecord(stream, entry),
        deadLetter: (target, body, headers) => append(target, body, headers).then(() => undefined),
        onClose: () => consumers.delete(consumer),
      });
      consumers.add(consumer);
      return consumer;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((c) => c.close().catch(() => {})));
      await connection.close();
    },
  };
}

export function offsetOf(entry: StreamEntry): number {
  return Number(entry.entryId.slice(0, entry.entryId.indexOf('-')));
}

function toRecord(stream: string, entry: StreamEntry): EventRecord {
  return {
    id: entry.fields.get('id')?.toString() ?? entry.entryId,
    stream,
    offset: offsetOf(entry),
    timestamp: Number(entry.fields.get('t')?.toString() ?? 0),
    headers: headersOf(entry),
    body: bodyOf(entry),
  };
}
