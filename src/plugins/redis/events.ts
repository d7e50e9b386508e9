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
 * - A publish with a `dedup` key is idempotent: the same script first looks up the key
 *   `<prefix>:events:<stream>#dedup/<producer>/<sequence>` (no stream's key has a `#`), and if
 *   it names an entry answers that entry's id, offset and time; otherwise it appends and sets the
 *   key to the new offset with a TTL of `dedupWindowMs`. One script, so check and append are
 *   atomic. A publish whose reply was lost (UNAVAILABLE) may have appended: retry it with the
 *   same key and it appends once.
 */
import { checkBody, checkHeaders } from '../../micro/broker/options.js';
import { badRequest, unavailable } from '../../micro/errors.js';
import {
  checkDedup,
  dedupId,
  resolveConsumeOptions,
  resolveReadOptions,
  validateStream,
} from '../../micro/events/options.js';
import {
  DEFAULT_DEDUP_WINDOW_MS,
  type EventRecord,
  type Events,
  type Published,
  type PublishKey,
  type StartAt,
} from '../../micro/events/types.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, randomId } from '../../micro/runtime.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';
import { openConsumer } from './events-consumer.js';
import { luaScript } from './script.js';
import { bodyOf, headersOf, parseEntries, type StreamEntry, toBuffer } from './stream-entry.js';

export interface RedisEventsOptions extends RedisOptions {
  /** How long a publish's dedup key is kept (its TTL). Default: {@link DEFAULT_DEDUP_WINDOW_MS}. */
  readonly dedupWindowMs?: number;
  /** Random source for message ids and anonymous group names. Default: liveRuntime. */
  readonly runtime?: Runtime;
}

// KEYS: stream, offset counter[, dedup key]. ARGV: id, headers, body[, dedup TTL ms].
// Returns {offset, time, id, duplicate (0|1)}.
const PUBLISH = luaScript(`
if KEYS[3] then
  local first = redis.call('GET', KEYS[3])
  if first then
    local entry = redis.call('XRANGE', KEYS[1], first .. '-0', first .. '-0')[1]
    if entry then
      local fields, id, t = entry[2], '', 0
      for i = 1, #fields, 2 do
        if fields[i] == 'id' then id = fields[i + 1] elseif fields[i] == 't' then t = tonumber(fields[i + 1]) end
      end
      return {tonumber(first), t, id, 1}
    end
  end
end
local offset = redis.call('INCR', KEYS[2])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('XADD', KEYS[1], offset .. '-0', 'id', ARGV[1], 'h', ARGV[2], 'b', ARGV[3], 't', ms)
if KEYS[3] then redis.call('SET', KEYS[3], offset, 'PX', ARGV[4]) end
return {offset, ms, ARGV[1], 0}
`);

const SCAN_BATCH = 1_000;

export function redisEvents(options: RedisEventsOptions = {}): Events {
  const config = resolveRedisOptions(options);
  const dedupWindowMs = options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  const runtime = options.runtime ?? liveRuntime;
  if (!Number.isSafeInteger(dedupWindowMs) || dedupWindowMs < 1)
    throw badRequest(`redis events: dedupWindowMs must be an integer ≥ 1, got ${String(dedupWindowMs)}`);
  const connection = openRedis(config);
  const { redis } = connection;
  const streamKey = (stream: string) => `${config.prefix}:events:${stream}`;
  const consumers = new Set<{ close(): Promise<void> }>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('redis events is closed');
  };

  async function append(
    stream: string,
    body: Uint8Array,
    headers: Record<string, string>,
    dedup?: PublishKey,
  ): Promise<Published> {
    const key = streamKey(stream);
    const keys = [key, `${key}:offset`, ...(dedup ? [`${key}#dedup/${dedupId(dedup)}`] : [])];
    const args = [randomId(runtime, 24), JSON.stringify(headers), toBuffer(body), ...(dedup ? [dedupWindowMs] : [])];
    const [offset, timestamp, id, duplicate] = (await attempt('events publish', () =>
      PUBLISH.run(redis, keys, args),
    )) as [number, number, Buffer, number];
    return { id: id.toString(), offset: Number(offset), timestamp: Number(timestamp), duplicate: duplicate === 1 };
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
      return append(stream, body, checkHeaders(publishOptions), checkDedup(publishOptions));
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
      const group = settings.group ?? `anon:${randomId(runtime, 24)}`;
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
