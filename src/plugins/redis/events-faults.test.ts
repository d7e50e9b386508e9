/**
 * The ambiguous publish: the server appended the entry, the reply never reached the client, and
 * the publish failed as retryable UNAVAILABLE. Retried with its dedup key it appends once;
 * retried without one it appends twice (at-least-once, as the contract says).
 */
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventPublishOptions, Events } from '../../micro/events/types.js';
import { describeBackend } from '../describe-backend.js';
import { failureOf, socketsOpenedBy } from '../socket-faults.js';
import { idempotentPublisher } from '../../micro/events/idempotent.js';
import { redisEvents } from './events.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);

describeBackend('redis', ({ url }) => {
  const prefix = uniquePrefix('events-faults');
  let admin: Redis;
  beforeAll(async () => {
    admin = new Redis(url);
    await admin.ping(); // connected before any test counts the sockets its client opens
  });
  afterAll(async () => {
    admin.disconnect();
    await dropPrefix(url, prefix);
  });

  /** A fresh client whose one socket we hold, with `before` already published to `stream`. */
  async function connected(stream: string): Promise<{ events: Events; socket: Socket }> {
    let events: Events | undefined;
    const sockets = await socketsOpenedBy(async () => {
      events = redisEvents({ url, prefix });
      await events.publish(stream, bytes('before'));
    });
    expect(sockets).toHaveLength(1);
    return { events: events!, socket: sockets[0]! };
  }

  /** Run `publish` while the client reads nothing; once the server has appended, cut the connection. */
  async function losingTheReply<T>(socket: Socket, stream: string, publish: () => Promise<T>): Promise<T> {
    socket.pause(); // the reply stays unread in the kernel's buffer
    const inFlight = publish();
    inFlight.catch(() => {}); // judged by the caller
    const key = `${prefix}:events:${stream}`;
    for (let waited = 0; (await admin.xlen(key)) < 2; waited += 10) {
      if (waited > 4_000) throw new Error('the server never appended the in-flight publish');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    socket.destroy();
    return inFlight;
  }

  const publishLosingTheReply = (events: Events, socket: Socket, stream: string, options: EventPublishOptions) =>
    failureOf(losingTheReply(socket, stream, () => events.publish(stream, bytes('placed'), options)));

  /** Retry while the client is still reconnecting (it fails fast with UNAVAILABLE meanwhile). */
  async function retry(events: Events, stream: string, options: EventPublishOptions) {
    for (let waited = 0; ; waited += 20) {
      try {
        return await events.publish(stream, bytes('placed'), options);
      } catch (error) {
        if (waited > 4_000) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  it('a publish answered UNAVAILABLE after the server appended it, retried with its dedup key, appends once', async () => {
    const { events, socket } = await connected('orders');
    const dedup = { producer: 'orders-1', sequence: 1 };
    expect(await publishLosingTheReply(events, socket, 'orders', { dedup })).toEqual(['UNAVAILABLE', true]);

    const retried = await retry(events, 'orders', { dedup });
    const records = await events.read('orders');
    await events.close();
    expect([retried.duplicate, retried.offset]).toEqual([true, 2]);
    expect(records.map((r) => [r.offset, text(r.body)])).toEqual([
      [1, 'before'],
      [2, 'placed'],
    ]);
    expect(records[1]?.id).toBe(retried.id);
  });

  it('the same lost reply, retried without a dedup key, appends a second copy (at-least-once)', async () => {
    const { events, socket } = await connected('payments');
    expect(await publishLosingTheReply(events, socket, 'payments', {})).toEqual(['UNAVAILABLE', true]);

    const retried = await retry(events, 'payments', {});
    const records = await events.read('payments');
    await events.close();
    expect(retried.duplicate).toBe(false);
    expect(records.map((r) => text(r.body))).toEqual(['before', 'placed', 'placed']);
  });

  it('an idempotentPublisher rides out the lost reply on its own: one event, the retry a duplicate', async () => {
    const { events, socket } = await connected('refunds');
    const refunds = idempotentPublisher(events, { producer: 'refunds-1' });
    const published = await losingTheReply(socket, 'refunds', () => refunds.publish('refunds', bytes('placed')));
    const records = await events.read('refunds');
    await events.close();
    expect([published.duplicate, published.offset]).toEqual([true, 2]);
    expect(records.map((r) => text(r.body))).toEqual(['before', 'placed']);
  });
});
