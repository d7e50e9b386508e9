/**
 * One broker subscription's read loop over a Redis consumer group (see `broker.ts` for the
 * delivery guarantees). Blocking reads run on the subscription's own connection; stopping
 * unblocks it with CLIENT UNBLOCK, so once `stop` resolves the group hands this consumer
 * nothing more and the handler is not called again.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MessageHandler, ReceivedMessage, SubscribeConfig } from '../../micro/broker/types.js';
import { attempt, quit } from './connection.js';
import { bodyOf, headersOf, parseEntries, parseReadGroup, type StreamEntry } from './stream-entry.js';

export interface GroupReaderSpec {
  /** The shared connection, for non-blocking commands. */
  readonly redis: Redis;
  /** A connection of its own for blocking reads; the reader closes it. */
  readonly reader: Redis;
  readonly stream: string;
  readonly topic: string;
  readonly group: string;
  /** Destroy the group on stop (a plain subscription's private group). */
  readonly anonymous: boolean;
  readonly settings: SubscribeConfig;
  readonly handler: MessageHandler;
}

/** Idle time given to a hand-out released by nack or unsubscribe: claimable by anyone at once. */
const RELEASED_IDLE_MS = 2 ** 40;
const BATCH = 10;
const RETRY_PAUSE_MS = 50;

export async function startGroupReader(spec: GroupReaderSpec): Promise<{ stop(): Promise<void> }> {
  const { redis, reader, stream, group, settings } = spec;
  const reliable = settings.delivery === 'at-least-once';
  const consumer = randomUUID();
  const blockMs = reliable ? Math.max(1, Math.min(100, Math.floor(settings.ackTimeoutMs / 3))) : 1_000;
  await attempt('broker subscribe', async () => {
    try {
      await redis.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  });
  const readerId = Number(await attempt('broker subscribe', () => reader.client('ID')));
  let stopped = false;
  let handling = false;

  const release = (ids: string[]) =>
    ids.length === 0
      ? Promise.resolve()
      : redis.xclaim(stream, group, consumer, 0, ...ids, 'IDLE', RELEASED_IDLE_MS, 'JUSTID').then(() => undefined);

  async function deliver(entry: StreamEntry, redelivered: boolean): Promise<void> {
    let settled = !reliable;
    const settle = async (how: 'ack' | 'nack') => {
      if (settled) return;
      settled = true;
      if (how === 'ack') await attempt('broker ack', () => redis.xack(stream, group, entry.entryId));
      else await attempt('broker nack', () => release([entry.entryId]));
    };
    const message: ReceivedMessage = {
      id: entry.fields.get('id')?.toString() ?? entry.entryId,
      topic: spec.topic,
      headers: headersOf(entry),
      body: bodyOf(entry),
      redelivered,
      ack: () => settle('ack'),
      nack: () => settle('nack'),
    };
    handling = true;
    try {
      await spec.handler(message);
      if (settings.autoAck) await settle('ack');
    } catch {
      if (settings.autoAck) await settle('nack').catch(() => {});
    } finally {
      handling = false;
    }
  }

  async function cycle(): Promise<void> {
    if (reliable) {
      const claimed = (await redis.callBuffer(
        'XAUTOCLAIM',
        stream,
        group,
        consumer,
        settings.ackTimeoutMs,
        '0-0',
        'COUNT',
        BATCH,
      )) as [Buffer, unknown, unknown];
      for (const entry of parseEntries(claimed[1])) {
        if (stopped) return;
        await deliver(entry, true);
      }
    }
    const fresh = parseReadGroup(
      await reader.callBuffer(
        'XREADGROUP',
        'GROUP',
        group,
        consumer,
        'COUNT',
        BATCH,
        'BLOCK',
        blockMs,
        ...(reliable ? [] : ['NOACK']),
        'STREAMS',
        stream,
        '>',
      ),
    );
    for (const entry of fresh) {
      if (stopped) return; // at-least-once: still pending, released on stop
      await deliver(entry, false);
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await cycle();
      } catch {
        if (!stopped) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  })();

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await redis.client('UNBLOCK', readerId).catch(() => {});
      if (!handling) await loop;
      try {
        if (reliable) {
          const pending = (await redis.xpending(stream, group, '-', '+', 1_000, consumer)) as [string, ...unknown[]][];
          await release(pending.map(([id]) => id));
        }
        if (spec.anonymous) await redis.xgroup('DESTROY', stream, group);
        else if (!reliable) await redis.xgroup('DELCONSUMER', stream, group, consumer);
      } catch {
        // The server is unreachable: pending hand-outs are claimed after their ack timeout.
      }
      await quit(reader);
    },
  };
}
