/**
 * brokerConformance: the executable contract of {@link Broker} (see `src/micro/broker/types.ts`).
 *
 *   brokerConformance('nats', async () => ({ subject: { client: () => natsBroker({ prefix }) }, cleanup }));
 *
 * The subject hands out clients of one broker (separate connections, as separate processes
 * would have); topics are used as given, so an isolated instance should prefix them itself.
 * Closing a client stands for its process going away. With `advance` the suite runs in virtual
 * time (ack timeout T = 1 s); without, it sleeps for real (T = `realAckTimeoutMs`).
 */
import { describe, expect } from 'vitest';
import type { Broker, ReceivedMessage, SubscribeOptions } from '../micro/broker/types.js';
import { expectMicroError } from './expect.js';
import {
  announceUnsupported,
  type ClientsContext,
  clientsContext,
  type Factory,
  type Harness,
  itWhen,
  type Unsupported,
  using,
} from './support.js';

/** Clients of one broker; each call is a new client (a separate connection). */
export interface BrokerSubject {
  client(name: string): Broker;
}

export type BrokerCapability = 'queueGroups' | 'atLeastOnce' | 'headers';

export interface BrokerConformanceOptions {
  readonly unsupported?: Unsupported<BrokerCapability>;
  /** Ack timeout T when the harness runs on real time. Default: 300 ms. */
  readonly realAckTimeoutMs?: number;
  /** The large-payload test's body size: the backend's limit if lower. Default: 1 MiB. */
  readonly largePayloadBytes?: number;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);

interface Ctx extends ClientsContext<Broker> {
  /** Subscribe and collect what arrives; `handle` may throw or leave the message unacked. */
  collect(
    broker: Broker,
    topic: string,
    options?: SubscribeOptions,
    handle?: (message: ReceivedMessage, seen: number) => unknown,
  ): Promise<{ readonly messages: ReceivedMessage[]; unsubscribe(): Promise<void> }>;
}

export function brokerConformance(
  name: string,
  factory: Factory<BrokerSubject>,
  options: BrokerConformanceOptions = {},
): void {
  const unsupported = options.unsupported ?? {};
  const largeBytes = options.largePayloadBytes ?? 1024 * 1024;
  const context = (h: Harness<BrokerSubject>): Ctx => {
    const base = clientsContext(h, options.realAckTimeoutMs ?? 300);
    return {
      ...base,
      async collect(broker, topic, subscribeOptions, handle) {
        const messages: ReceivedMessage[] = [];
        const subscription = await broker.subscribe(
          topic,
          async (message) => {
            messages.push(message);
            await handle?.(message, messages.length);
          },
          subscribeOptions,
        );
        return { messages, unsubscribe: () => subscription.unsubscribe() };
      },
    };
  };
  const declare = (flag?: BrokerCapability) => (title: string, body: (c: Ctx) => Promise<void>) =>
    itWhen(flag ? unsupported : {}, flag ?? 'queueGroups')(title, () => using(factory, (h) => body(context(h))));
  const test = declare();
  const groups = declare('queueGroups');
  const reliable = declare('atLeastOnce');
  const headers = declare('headers');
  const atLeastOnce = (T: number, extra: SubscribeOptions = {}): SubscribeOptions => ({
    delivery: 'at-least-once',
    ackTimeoutMs: T,
    ...extra,
  });

  describe(`broker conformance: ${name}`, () => {
    announceUnsupported(`broker:${name}`, unsupported);

    describe('publish and subscribe', () => {
      test('every plain subscriber gets every message, body intact, id as published', async (c) => {
        const first = await c.collect(c.a, 'orders.created');
        const second = await c.collect(c.b, 'orders.created');
        const id = await c.a.publish('orders.created', bytes('order 1'));
        await c.until(() => first.messages.length === 1 && second.messages.length === 1, 'both subscribers');
        for (const { messages } of [first, second]) {
          expect(messages[0]?.id).toBe(id);
          expect(messages[0]?.topic).toBe('orders.created');
          expect(text(messages[0]!.body)).toBe('order 1');
          expect(messages[0]?.redelivered).toBe(false);
        }
      });

      headers('headers travel with the message', async (c) => {
        const got = await c.collect(c.b, 'orders.created');
        await c.a.publish('orders.created', bytes('x'), { headers: { 'trace-id': 'abc', 'x-ünïcode': 'naïve ✓' } });
        await c.until(() => got.messages.length === 1, 'the message');
        expect(got.messages[0]?.headers).toMatchObject({ 'trace-id': 'abc', 'x-ünïcode': 'naïve ✓' });
      });

      test('a message published with no subscriber is dropped, not kept for a later one', async (c) => {
        await c.a.publish('orders.created', bytes('lost'));
        const late = await c.collect(c.b, 'orders.created');
        await c.a.publish('orders.created', bytes('seen'));
        await c.until(() => late.messages.length >= 1, 'the second message');
        await c.pass(c.T);
        expect(late.messages.map((m) => text(m.body))).toEqual(['seen']);
      });

      test('a subscriber only gets its own topic', async (c) => {
        const orders = await c.collect(c.b, 'orders');
        await c.a.publish('payments', bytes('p'));
        await c.a.publish('orders', bytes('o'));
        await c.until(() => orders.messages.length === 1, 'the orders message');
        await c.pass(c.T / 2);
        expect(orders.messages.map((m) => text(m.body))).toEqual(['o']);
      });

      test('after unsubscribe resolves nothing more arrives; unsubscribing twice is fine', async (c) => {
        const got = await c.collect(c.b, 'orders');
        await c.a.publish('orders', bytes('1'));
        await c.until(() => got.messages.length === 1, 'the first message');
        await got.unsubscribe();
        await got.unsubscribe();
        await c.a.publish('orders', bytes('2'));
        await c.pass(c.T);
        expect(got.messages).toHaveLength(1);
      });

      test(`large payloads (${largeBytes} bytes) and unicode topics and bodies arrive intact`, async (c) => {
        const topic = 'заказы.创建.✓';
        const got = await c.collect(c.b, topic);
        const big = new Uint8Array(largeBytes).map((_, i) => i % 251);
        await c.a.publish(topic, big);
        await c.a.publish(topic, bytes('héllo wörld — 你好 🌍'));
        await c.until(() => got.messages.length === 2, 'both messages');
        const [large, unicode] = [...got.messages].sort((x, y) => y.body.length - x.body.length);
        expect(large?.body.length).toBe(big.length);
        expect(Buffer.compare(large!.body, big)).toBe(0); // toEqual on a MiB of bytes is very slow
        expect(text(unicode!.body)).toBe('héllo wörld — 你好 🌍');
      });
    });

    describe('queue groups', () => {
      groups('each message goes to exactly one member of a group, and every group gets it', async (c) => {
        const workers = [
          await c.collect(c.a, 'jobs', { queue: 'workers' }),
          await c.collect(c.b, 'jobs', { queue: 'workers' }),
          await c.collect(c.client('c'), 'jobs', { queue: 'workers' }),
        ];
        const auditors = await c.collect(c.client('d'), 'jobs', { queue: 'audit' });
        const watcher = await c.collect(c.client('e'), 'jobs');
        const ids: string[] = [];
        for (let i = 0; i < 9; i++) ids.push(await c.a.publish('jobs', bytes(`job ${i}`)));
        const total = () => workers.reduce((n, w) => n + w.messages.length, 0);
        await c.until(() => total() === 9 && auditors.messages.length === 9 && watcher.messages.length === 9, 'all');
        await c.pass(c.T / 2);
        const handled = workers.flatMap((w) => w.messages.map((m) => m.id));
        expect([...handled].sort()).toEqual([...ids].sort());
        expect(auditors.messages.map((m) => m.id).sort()).toEqual([...ids].sort());
      });

      groups('when a member leaves, the rest of the group gets the later messages', async (c) => {
        const leaving = await c.collect(c.a, 'jobs', { queue: 'workers' });
        const staying = await c.collect(c.b, 'jobs', { queue: 'workers' });
        await leaving.unsubscribe();
        const publisher = c.client('p');
        for (let i = 0; i < 4; i++) await publisher.publish('jobs', bytes(`job ${i}`));
        await c.until(() => staying.messages.length === 4, 'the staying member to get all four');
        expect(leaving.messages).toHaveLength(0);
      });
    });

    describe('delivery guarantees', () => {
      test('at-most-once: a handler that throws does not get the message again', async (c) => {
        const got = await c.collect(c.b, 'jobs', { delivery: 'at-most-once' }, () => {
          throw new Error('handler failed');
        });
        await c.a.publish('jobs', bytes('once'));
        await c.until(() => got.messages.length === 1, 'the delivery');
        await c.pass(3 * c.T);
        expect(got.messages).toHaveLength(1);
      });

      reliable('at-least-once: a handler that throws gets the same message again, marked redelivered', async (c) => {
        const got = await c.collect(c.b, 'jobs', atLeastOnce(c.T), (_m, seen) => {
          if (seen === 1) throw new Error('transient failure');
        });
        const id = await c.a.publish('jobs', bytes('retry me'));
        await c.until(() => got.messages.length === 2, 'the redelivery');
        expect(got.messages.map((m) => [m.id, m.redelivered])).toEqual([
          [id, false],
          [id, true],
        ]);
        await c.pass(3 * c.T);
        expect(got.messages).toHaveLength(2);
      });

      reliable('at-least-once, manual ack: unacked is redelivered after the ack timeout, acked is not', async (c) => {
        const got = await c.collect(c.b, 'jobs', atLeastOnce(c.T, { autoAck: false }), (message, seen) =>
          seen === 2 ? message.ack() : undefined,
        );
        await c.a.publish('jobs', bytes('ack me later'));
        await c.until(() => got.messages.length === 1, 'the first delivery');
        await c.until(() => got.messages.length === 2, 'the redelivery after the ack timeout');
        await c.pass(3 * c.T);
        expect(got.messages).toHaveLength(2);
      });

      reliable('at-least-once: nack asks for redelivery at once', async (c) => {
        const got = await c.collect(c.b, 'jobs', atLeastOnce(100 * c.T, { autoAck: false }), (message, seen) =>
          seen === 1 ? message.nack() : message.ack(),
        );
        await c.a.publish('jobs', bytes('nack me'));
        await c.until(() => got.messages.length === 2, 'the redelivery after nack');
      });

      reliable(
        'at-least-once: when a member goes away holding an unacked message, another member gets it',
        async (c) => {
          const crashing = c.client('crashing');
          const doomed = await c.collect(crashing, 'jobs', atLeastOnce(c.T, { queue: 'workers', autoAck: false }));
          for (let i = 0; i < 2; i++) await c.a.publish('jobs', bytes(`job ${i}`));
          await c.until(() => doomed.messages.length === 2, 'the doomed member to hold both jobs');
          const survivor = await c.collect(c.b, 'jobs', atLeastOnce(c.T, { queue: 'workers' }));
          await crashing.close();
          // Ids as sets: on a loaded machine the ack timeout may lapse before the close, and the
          // doomed member (still the only one) may be handed a job again — at least once allows it.
          const ids = (messages: readonly { id: string }[]) => [...new Set(messages.map((m) => m.id))].sort();
          await c.until(() => ids(survivor.messages).length === 2, 'the survivor to get both jobs');
          expect(survivor.messages.every((m) => m.redelivered)).toBe(true);
          expect(ids(survivor.messages)).toEqual(ids(doomed.messages));
        },
      );
    });

    describe('bad input', () => {
      test('rejects bad topics, naming them', async ({ a }) => {
        const noop = () => {};
        await expectMicroError(a.publish('', bytes('x')), 'BAD_REQUEST', 'topic', 'empty');
        await expectMicroError(a.publish('orders created', bytes('x')), 'BAD_REQUEST', 'orders created');
        await expectMicroError(a.publish('orders.*', bytes('x')), 'BAD_REQUEST', '*');
        await expectMicroError(a.publish('orders..created', bytes('x')), 'BAD_REQUEST', 'segment');
        await expectMicroError(a.subscribe('', noop), 'BAD_REQUEST', 'topic');
      });

      test('rejects a body that is not bytes and bad subscribe options, naming them', async ({ a }) => {
        const noop = () => {};
        await expectMicroError(a.publish('orders', 'text' as unknown as Uint8Array), 'BAD_REQUEST', 'body');
        await expectMicroError(
          a.subscribe('orders', noop, { delivery: 'exactly-once' as 'at-most-once' }),
          'BAD_REQUEST',
          'delivery',
          'exactly-once',
        );
        await expectMicroError(a.subscribe('orders', noop, { ackTimeoutMs: 0 }), 'BAD_REQUEST', 'ackTimeoutMs');
        await expectMicroError(a.subscribe('orders', noop, { queue: '' }), 'BAD_REQUEST', 'queue');
      });

      test('a closed client rejects calls with UNAVAILABLE', async ({ a }) => {
        await a.close();
        await a.close();
        await expectMicroError(a.publish('orders', bytes('x')), 'UNAVAILABLE');
      });
    });
  });
}
