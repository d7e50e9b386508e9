// Faults against the real RabbitMQ server: the client's socket reset under a publish, and under
// a group member holding an unacked message.
import { type AddressInfo, createServer, type Socket } from 'node:net';
import amqp from 'amqplib';
import { afterAll, expect, it } from 'vitest';
import type { Broker, ReceivedMessage } from '../../micro/broker/types.js';
import { isMicroError } from '../../micro/errors.js';
import { describeBackend } from '../describe-backend.js';
import { failureOf, retried, socketsOpenedBy, waitFor } from '../socket-faults.js';
import { rabbitBroker } from './broker.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (message: ReceivedMessage) => new TextDecoder().decode(message.body);

/**
 * Kill a socket as a network reset does (amqplib notices a socket error or end, not a bare
 * `destroy()`). The server-side `rabbitmqctl close_connection` needs the connection's Erlang pid:
 * list_connections + close_connection take ~4 s here, too slow for a unit test.
 */
const reset = (socket: Socket | undefined) =>
  socket?.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));

let counter = 0;

describeBackend('rabbitmq', ({ url }) => {
  const prefix = `mctest.faults.${process.pid}.${++counter}.${Date.now().toString(36)}`;
  const brokers: Broker[] = [];
  const broker = () => {
    const made = rabbitBroker({ url, prefix });
    brokers.push(made);
    return made;
  };
  afterAll(async () => {
    for (const made of brokers) await made.close();
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    for (const topic of ['orders', 'payments'])
      await channel.deleteQueue(`${prefix}.audit.${topic}`).catch(() => undefined);
    await channel.deleteExchange(prefix).catch(() => undefined);
    await connection.close();
  });

  it('a publish whose socket is destroyed fails as retryable UNAVAILABLE; the retry reconnects; confirmed messages arrive', async () => {
    const subscriber = broker();
    const seen: ReceivedMessage[] = [];
    await subscriber.subscribe('orders', (m) => void seen.push(m), { queue: 'audit', delivery: 'at-least-once' });
    const publisher = broker();
    const [socket] = await socketsOpenedBy(() => publisher.publish('orders', bytes('confirmed')));
    expect(socket).toBeDefined();

    const inFlight = publisher.publish('orders', bytes('maybe'));
    reset(socket);
    expect(await failureOf(inFlight)).toEqual(['UNAVAILABLE', true]);

    // The broker reconnects in the background; until it is back, a publish fails fast the same way.
    await retried(() => publisher.publish('orders', bytes('retried')));
    await waitFor(() => seen.some((m) => text(m) === 'retried'), 'the retried message', 3_000);
    expect(seen.map(text).filter((body) => body !== 'maybe')).toEqual(['confirmed', 'retried']);
  });

  it('a group member whose connection is reset: its unacked message goes to another member', async () => {
    const holder = broker();
    const other = broker();
    const held: ReceivedMessage[] = [];
    const [socket] = await socketsOpenedBy(() =>
      holder.subscribe('payments', (m) => void held.push(m), {
        queue: 'audit',
        delivery: 'at-least-once',
        autoAck: false,
      }),
    );
    expect(socket).toBeDefined();
    const publisher = broker();
    const id = await publisher.publish('payments', bytes('hold me'));
    await waitFor(() => held.length === 1, 'the first delivery', 3_000);

    const got: ReceivedMessage[] = [];
    await other.subscribe('payments', (m) => void got.push(m), { queue: 'audit', delivery: 'at-least-once' });
    reset(socket);
    await waitFor(() => got.length === 1, 'the redelivery', 3_000);
    expect([got[0]?.id, got[0]?.redelivered]).toEqual([id, true]);

    // The holder's broker reconnects by itself; its publishes go through again once it is back.
    expect(typeof (await retried(() => holder.publish('payments', bytes('back'))))).toBe('string');
  });

  it('an unreachable server is a retryable UNAVAILABLE, not a hang', async () => {
    const nowhere = rabbitBroker({ url: 'amqp://guest:guest@127.0.0.1:1', prefix });
    const failure = await nowhere.publish('orders', bytes('x')).catch((error: unknown) => error);
    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    await nowhere.close();
  });

  it('a server that accepts the socket but never answers fails the connect after connectTimeoutMs', async () => {
    const silent = createServer(() => {}); // accepts and says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const stuck = rabbitBroker({ url: `amqp://guest:guest@127.0.0.1:${port}`, prefix, connectTimeoutMs: 200 });
    try {
      const outcome = await Promise.race([
        failureOf(stuck.publish('orders', bytes('x'))),
        new Promise((resolve) => setTimeout(() => resolve('still connecting'), 3_000)),
      ]);
      expect(outcome).toEqual(['UNAVAILABLE', true]);
    } finally {
      await stuck.close();
      silent.close();
    }
  });
});
