/**
 * The ambiguous publish: the server appended the entry, the reply never reached the client, and
 * the publish failed as retryable UNAVAILABLE. Retried with its dedup key it appends once;
 * retried without one it appends twice (at-least-once, as the contract says).
 */
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { idempotentPublisher } from '../../micro/events/idempotent.js';
import type { EventPublishOptions, Events } from '../../micro/events/types.js';
import { describeBackend } from '../describe-backend.js';
import { failureOf, losingTheReply, retried, withItsSocket } from '../socket-faults.js';
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
    const { client: events, socket } = await withItsSocket(async () => {
      const events = redisEvents({ url, prefix });
      await events.publish(stream, bytes('before'));
      return events;
    });
    return { events, socket };
  }

  /** Run `publish` while the client reads nothing; once the server has appended, cut the connection. */
  const losingTheReplyOf = <T>(socket: Socket, stream: string, publish: () => Promise<T>) =>
    losingTheReply(
      socket,
      publish,
      async () => (await admin.xlen(`${prefix}:events:${stream}`)) >= 2,
      'appended the in-flight publish',
    );

  const publishLosingTheReply = (events: Events, socket: Socket, stream: string, options: EventPublishOptions) =>
    failureOf(losingTheReplyOf(socket, stream, () => events.publish(stream, bytes('placed'), options)));

  /** Retry while the client is still reconnecting (it fails fast with UNAVAILABLE meanwhile). */
  const retry = (events: Events, stream: string, options: EventPublishOptions) =>
    retried(() => events.publish(stream, bytes('placed'), options));

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
    const published = await losingTheReplyOf(socket, 'refunds', () => refunds.publish('refunds', bytes('placed')));
    const records = await events.read('refunds');
    await events.close();
    expect([published.duplicate, published.offset]).toEqual([true, 2]);
    expect(records.map((r) => text(r.body))).toEqual(['before', 'placed']);
  });
});
