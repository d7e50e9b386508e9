/**
 * One Events consumer over a Redis consumer group (see `events.ts` for how the contract maps
 * onto Redis). Pull-based: each `next()` first takes over redeliveries (XAUTOCLAIM), then reads
 * new records (XREADGROUP, blocking on the consumer's own connection) within `maxInFlight`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConsumeConfig, Consumer, EventMessage, EventRecord } from '../../micro/events/types.js';
import { attempt, quit } from './connection.js';
import { parseEntries, parseReadGroup, type StreamEntry } from './stream-entry.js';

export interface ConsumerSpec {
  readonly redis: Redis;
  /** A connection of its own for blocking reads; the consumer closes it. */
  readonly reader: Redis;
  readonly key: string;
  readonly stream: string;
  readonly group: string;
  readonly anonymous: boolean;
  readonly settings: ConsumeConfig;
  readonly toRecord: (entry: StreamEntry) => EventRecord;
  readonly deadLetter: (stream: string, body: Uint8Array, headers: Record<string, string>) => Promise<void>;
  readonly onClose: () => void;
}

/** Idle time given to hand-outs released by a closing consumer: claimable at once by anyone. */
const RELEASED_IDLE_MS = 2 ** 40;
const BATCH = 10;

interface HandOut {
  readonly entry: StreamEntry;
  readonly deliveries: number;
}

export async function openConsumer(spec: ConsumerSpec): Promise<Consumer> {
  const { redis, reader, key, group, settings } = spec;
  const manual = settings.ack === 'manual';
  const name = randomUUID();
  const blockMs = manual ? Math.max(1, Math.min(100, Math.floor(settings.ackDeadlineMs / 3))) : 1_000;
  const readerId = Number(await attempt('events consume', () => reader.client('ID')));
  const ready: HandOut[] = [];
  let closed = false;
  let turn: Promise<unknown> = Promise.resolve();

  /** Take over hand-outs idle past the deadline (or released); dead-letter the exhausted ones. */
  async function reclaim(): Promise<void> {
    const reply = (await redis.callBuffer(
      'XAUTOCLAIM',
      key,
      group,
      name,
      settings.ackDeadlineMs,
      '0-0',
      'COUNT',
      BATCH,
    )) as [Buffer, unknown, unknown];
    const claimed = parseEntries(reply[1]);
    if (claimed.length === 0) return;
    const pending = (await redis.xpending(
      key,
      group,
      claimed[0]!.entryId,
      claimed[claimed.length - 1]!.entryId,
      claimed.length * 2,
      name,
    )) as [string, string, number, number][];
    const counts = new Map(pending.map(([id, , , count]) => [id, Number(count)]));
    for (const entry of claimed) {
      const deliveries = counts.get(entry.entryId) ?? 2;
      if (deliveries <= settings.maxDeliveries) ready.push({ entry, deliveries });
      else await exhaust(entry, deliveries - 1);
    }
  }

  async function exhaust(entry: StreamEntry, deliveries: number): Promise<void> {
    if (settings.deadLetter !== undefined) {
      const record = spec.toRecord(entry);
      await spec.deadLetter(settings.deadLetter, record.body, {
        ...record.headers,
        'x-dead-letter-stream': spec.stream,
        'x-dead-letter-offset': String(record.offset),
        'x-dead-letter-deliveries': String(deliveries),
        'x-dead-letter-group': group,
      });
    }
    await redis.xack(key, group, entry.entryId);
  }

  /** Room left under maxInFlight for this group (pending hand-outs count against it). */
  async function room(): Promise<number> {
    if (!manual) return BATCH;
    const [pending] = (await redis.xpending(key, group)) as [number, ...unknown[]];
    return Math.min(BATCH, settings.maxInFlight - Number(pending));
  }

  async function fill(): Promise<void> {
    if (manual) await reclaim();
    if (ready.length > 0) return;
    const count = await room();
    if (count <= 0) {
      await new Promise((resolve) => setTimeout(resolve, blockMs));
      return;
    }
    const reply = await reader.callBuffer(
      'XREADGROUP',
      'GROUP',
      group,
      name,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      ...(manual ? [] : ['NOACK']),
      'STREAMS',
      key,
      '>',
    );
    for (const entry of parseReadGroup(reply)) ready.push({ entry, deliveries: 1 });
  }

  function message({ entry, deliveries }: HandOut): EventMessage {
    let settled = !manual;
    const settle = async (run: () => Promise<unknown>) => {
      if (settled || closed) return;
      settled = true;
      await attempt('events ack', run);
    };
    return {
      ...spec.toRecord(entry),
      group,
      deliveries,
      ack: () => settle(() => redis.xack(key, group, entry.entryId)),
      nack: (delayMs = 0) =>
        settle(() =>
          redis.xclaim(
            key,
            group,
            name,
            0,
            entry.entryId,
            'IDLE',
            Math.max(0, Math.ceil(settings.ackDeadlineMs - delayMs) + 1),
            'JUSTID',
          ),
        ),
    };
  }

  async function pull(): Promise<EventMessage | undefined> {
    while (!closed) {
      const next = ready.shift();
      if (next !== undefined) return message(next);
      try {
        await fill();
      } catch {
        if (!closed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return undefined;
  }

  const consumer: Consumer = {
    stream: spec.stream,
    group,
    next() {
      const result = turn.then(pull);
      turn = result.catch(() => {});
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await redis.client('UNBLOCK', readerId).catch(() => {});
      await turn;
      try {
        if (spec.anonymous) await redis.xgroup('DESTROY', key, group);
        else if (manual) {
          const mine = (await redis.xpending(key, group, '-', '+', 10_000, name)) as [string, ...unknown[]][];
          const ids = mine.map(([id]) => id);
          if (ids.length > 0) await redis.xclaim(key, group, name, 0, ...ids, 'IDLE', RELEASED_IDLE_MS, 'JUSTID');
        }
      } catch {
        // The server is unreachable: this consumer's hand-outs are claimed after their deadline.
      }
      await quit(reader);
      spec.onClose();
    },
    [Symbol.asyncIterator]() {
      return {
        next: async () => {
          const value = await consumer.next();
          return value === undefined ? { value: undefined, done: true } : { value, done: false };
        },
        return: async () => {
          await consumer.close();
          return { value: undefined, done: true };
        },
      };
    },
  };
  return consumer;
}
