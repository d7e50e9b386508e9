/**
 * The ambiguous JetStream publish: the server stored the message, its ack never reached the
 * client, the publish failed as retryable UNAVAILABLE. Retried with its dedup key (sent as
 * Nats-Msg-Id) the stream holds it once.
 */
import type { Socket } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { idempotentPublisher } from '../../micro/events/idempotent.js';
import type { Events } from '../../micro/events/types.js';
import { describeBackend } from '../describe-backend.js';
import { failureOf, losingTheReply, retried, withItsSocket } from '../socket-faults.js';
import { natsEvents } from './events.js';
import { jetStreamName } from './names.js';
import { uniquePrefix } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);

describeBackend('nats', ({ url }) => {
  const prefix = uniquePrefix('events_faults');
  const streams = ['orders', 'refunds'].map((name) => `${jetStreamName(prefix)}_${name}`);
  let admin: NatsConnection;
  beforeAll(async () => {
    admin = await connect({ servers: url });
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(admin);
    for (const stream of streams) await jsm.streams.delete(stream).catch(() => false);
    await admin.close();
  });

  /** A fresh client whose one socket we hold, with `before` already published to `name`. */
  async function connected(name: string): Promise<{ events: Events; socket: Socket }> {
    const { client: events, socket } = await withItsSocket(async () => {
      const events = natsEvents({ url, prefix });
      await events.publish(name, bytes('before'));
      return events;
    });
    return { events, socket };
  }

  /** Run `publish` while the client reads nothing; once the server has stored it, cut the connection. */
  async function losingTheAck<T>(socket: Socket, name: string, publish: () => Promise<T>): Promise<T> {
    const jsm = await jetstreamManager(admin);
    const stored = async () => (await jsm.streams.info(`${jetStreamName(prefix)}_${name}`)).state.messages >= 2;
    return losingTheReply(socket, publish, stored, 'stored the in-flight publish');
  }

  it('a publish answered UNAVAILABLE after the server stored it, retried with its dedup key, is stored once', async () => {
    const { events, socket } = await connected('orders');
    const dedup = { producer: 'orders-1', sequence: 1 };
    const inFlight = losingTheAck(socket, 'orders', () => events.publish('orders', bytes('placed'), { dedup }));
    expect(await failureOf(inFlight)).toEqual(['UNAVAILABLE', true]);

    // The client reconnects by itself; retry (with the same key) until it is back.
    const again = await retried(() => events.publish('orders', bytes('placed'), { dedup }));
    const records = await events.read('orders');
    await events.close();
    expect([again.duplicate, again.offset]).toEqual([true, 2]);
    expect(records.map((r) => [r.offset, text(r.body)])).toEqual([
      [1, 'before'],
      [2, 'placed'],
    ]);
    expect(records[1]?.id).toBe(again.id);
  });

  it('an idempotentPublisher rides out the lost ack and the reconnect: one event, the retry a duplicate', async () => {
    const { events, socket } = await connected('refunds');
    const refunds = idempotentPublisher(events, { producer: 'refunds-1' });
    const published = await losingTheAck(socket, 'refunds', () => refunds.publish('refunds', bytes('placed')));
    const records = await events.read('refunds');
    await events.close();
    expect([published.duplicate, published.offset]).toEqual([true, 2]);
    expect(records.map((r) => text(r.body))).toEqual(['before', 'placed']);
  });
});
