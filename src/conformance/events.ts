/**
 * eventsConformance: the executable contract of {@link Events} (see `src/micro/events/types.ts`).
 *
 *   eventsConformance('jetstream', async () => ({ subject: { client: (n) => jetstreamEvents({ prefix }) }, cleanup }));
 *
 * The subject hands out clients of one event store (separate connections); stream names are used
 * as given, so an isolated instance should prefix them itself. With `advance` the suite runs in
 * virtual time (ack deadline T = 1 s); without, it sleeps for real (T = `realAckDeadlineMs`).
 */
import { describe, expect } from 'vitest';
import type { ConsumeOptions, Consumer, EventMessage, Events } from '../micro/events/types.js';
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

/** Clients of one event store; each call is a new client (a separate connection). */
export interface EventsSubject {
  client(name: string): Events;
}

/**
 * `idempotentPublish`: a publish with a `dedup` key appends once however often it is repeated
 * (a backend without it is at-least-once: a retried publish may append twice).
 */
export type EventsCapability = 'replay' | 'startAtTime' | 'deadLetter' | 'idempotentPublish';

export interface EventsConformanceOptions {
  readonly unsupported?: Unsupported<EventsCapability>;
  /** Ack deadline T when the harness runs on real time. Default: 300 ms. */
  readonly realAckDeadlineMs?: number;
  /** The large-payload test's body size: the backend's limit if lower. Default: 1 MiB. */
  readonly largePayloadBytes?: number;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);

/** What a background consumer loop saw; `handle` decides what to do with each message. */
interface Drained {
  readonly messages: EventMessage[];
  readonly consumer: Consumer;
  readonly offsets: () => number[];
}

interface Ctx extends ClientsContext<Events> {
  /** Consume in the background; by default every message is acked. */
  drain(
    events: Events,
    stream: string,
    options?: ConsumeOptions,
    handle?: (message: EventMessage) => unknown,
  ): Promise<Drained>;
  publishAll(events: Events, stream: string, bodies: readonly string[]): Promise<number[]>;
}

export function eventsConformance(
  name: string,
  factory: Factory<EventsSubject>,
  options: EventsConformanceOptions = {},
): void {
  const unsupported = options.unsupported ?? {};
  const largeBytes = options.largePayloadBytes ?? 1024 * 1024;
  const context = (h: Harness<EventsSubject>): Ctx => {
    const base = clientsContext(h, options.realAckDeadlineMs ?? 300);
    const { T } = base;
    return {
      ...base,
      async drain(events, stream, consumeOptions, handle = (m) => m.ack()) {
        const consumer = await events.consume(stream, { ackDeadlineMs: T, ...consumeOptions });
        const messages: EventMessage[] = [];
        void (async () => {
          for (let m = await consumer.next(); m; m = await consumer.next()) {
            messages.push(m);
            await handle(m);
          }
        })();
        return { messages, consumer, offsets: () => messages.map((m) => m.offset) };
      },
      async publishAll(events, stream, bodies) {
        const offsets: number[] = [];
        for (const body of bodies) offsets.push((await events.publish(stream, bytes(body))).offset);
        return offsets;
      },
    };
  };
  const declare = (flag?: EventsCapability) => (title: string, body: (c: Ctx) => Promise<void>) =>
    itWhen(flag ? unsupported : {}, flag ?? 'replay')(title, () => using(factory, (h) => body(context(h))));
  const test = declare();
  const replay = declare('replay');
  const byTime = declare('startAtTime');
  const deadLetter = declare('deadLetter');
  const idempotent = declare('idempotentPublish');

  describe(`events conformance: ${name}`, () => {
    announceUnsupported(`events:${name}`, unsupported);

    describe('publish and read', () => {
      replay('publish assigns increasing offsets; read replays the stream in order, any number of times', async (c) => {
        const first = await c.a.publish('orders', bytes('one'), { headers: { kind: 'created' } });
        const offsets = [first.offset, ...(await c.publishAll(c.a, 'orders', ['two', 'three']))];
        expect(first.offset).toBeGreaterThanOrEqual(1);
        expect([...offsets].sort((x, y) => x - y)).toEqual(offsets);
        expect(new Set(offsets).size).toBe(3);
        for (let i = 0; i < 2; i++) {
          const records = await c.b.read('orders');
          expect(records.map((r) => text(r.body))).toEqual(['one', 'two', 'three']);
          expect(records.map((r) => r.offset)).toEqual(offsets);
          expect(records[0]?.id).toBe(first.id);
          expect(records[0]?.headers).toMatchObject({ kind: 'created' });
          expect(records[0]?.timestamp).toBe(first.timestamp);
        }
      });

      replay('read starts at an offset, honours a limit, and is empty from latest', async (c) => {
        const offsets = await c.publishAll(c.a, 'orders', ['1', '2', '3', '4']);
        const fromThird = await c.a.read('orders', { startAt: { type: 'offset', offset: offsets[2]! }, limit: 1 });
        expect(fromThird.map((r) => text(r.body))).toEqual(['3']);
        expect(await c.a.read('orders', { startAt: { type: 'latest' } })).toEqual([]);
        expect(await c.a.read('never-written')).toEqual([]);
      });

      test(`large payloads (${largeBytes} bytes) and unicode stream names survive the round trip`, async (c) => {
        const big = new Uint8Array(largeBytes).map((_, i) => (i * 7) % 256);
        await c.a.publish('заказы.✓', big);
        await c.a.publish('заказы.✓', bytes('日本語 🚀'));
        const got = await c.drain(c.b, 'заказы.✓');
        await c.until(() => got.messages.length === 2, 'both records');
        expect(Buffer.compare(got.messages[0]!.body, big)).toBe(0);
        expect(text(got.messages[1]!.body)).toBe('日本語 🚀');
      });
    });

    describe('idempotent publish', () => {
      idempotent('the same dedup key published twice appends once; the repeat answers the first', async (c) => {
        const dedup = { producer: 'orders-1', sequence: 7 };
        const first = await c.a.publish('orders', bytes('placed'), { dedup });
        // A retry, as after a lost reply, even through another connection.
        const again = await c.a.publish('orders', bytes('placed'), { dedup });
        const elsewhere = await c.b.publish('orders', bytes('placed'), { dedup });
        expect(first.duplicate).toBe(false);
        for (const repeat of [again, elsewhere]) {
          expect(repeat.duplicate).toBe(true);
          expect([repeat.id, repeat.offset, repeat.timestamp]).toEqual([first.id, first.offset, first.timestamp]);
        }
        const records = await c.b.read('orders');
        expect(records.map((r) => [r.id, r.offset, text(r.body)])).toEqual([[first.id, first.offset, 'placed']]);
      });

      idempotent('another sequence, another producer or another stream is another event', async (c) => {
        const one = await c.a.publish('orders', bytes('1'), { dedup: { producer: 'orders-1', sequence: 1 } });
        const two = await c.a.publish('orders', bytes('2'), { dedup: { producer: 'orders-1', sequence: 2 } });
        const other = await c.a.publish('orders', bytes('3'), { dedup: { producer: 'orders-2', sequence: 1 } });
        const plain = await c.a.publish('orders', bytes('4'));
        const audit = await c.a.publish('audit', bytes('5'), { dedup: { producer: 'orders-1', sequence: 1 } });
        expect([one, two, other, plain, audit].map((p) => p.duplicate)).toEqual([false, false, false, false, false]);
        expect((await c.b.read('orders')).map((r) => text(r.body))).toEqual(['1', '2', '3', '4']);
        expect((await c.b.read('audit')).map((r) => text(r.body))).toEqual(['5']);
      });

      idempotent('a repeated publish is handed to a group once', async (c) => {
        const dedup = { producer: 'orders-1', sequence: 1 };
        await c.a.publish('orders', bytes('once'), { dedup });
        await c.a.publish('orders', bytes('once'), { dedup });
        await c.a.publish('orders', bytes('next'));
        const got = await c.drain(c.b, 'orders', { group: 'billing' });
        await c.until(() => got.messages.length === 2, 'both events');
        await c.pass(c.T);
        expect(got.messages.map((m) => text(m.body))).toEqual(['once', 'next']);
      });

      idempotent('rejects a bad dedup key, naming the bad part', async ({ a }) => {
        const publish = (dedup: unknown) => a.publish('orders', bytes('x'), { dedup: dedup as never });
        await expectMicroError(publish({ producer: '', sequence: 1 }), 'BAD_REQUEST', 'dedup.producer');
        await expectMicroError(publish({ producer: 'a/b', sequence: 1 }), 'BAD_REQUEST', 'dedup.producer');
        await expectMicroError(publish({ producer: 'a b', sequence: 1 }), 'BAD_REQUEST', 'dedup.producer');
        await expectMicroError(publish({ producer: 'p', sequence: -1 }), 'BAD_REQUEST', 'dedup.sequence');
        await expectMicroError(publish({ producer: 'p', sequence: 1.5 }), 'BAD_REQUEST', 'dedup.sequence');
        expect(await a.read('orders')).toEqual([]);
      });
    });

    describe('consumer groups and positions', () => {
      test('a consumer from earliest sees existing and new records in offset order', async (c) => {
        await c.publishAll(c.a, 'orders', ['1', '2']);
        const got = await c.drain(c.b, 'orders', { startAt: { type: 'earliest' } });
        await c.publishAll(c.a, 'orders', ['3']);
        await c.until(() => got.messages.length === 3, 'three records');
        expect(got.messages.map((m) => text(m.body))).toEqual(['1', '2', '3']);
        expect(got.messages.every((m) => m.deliveries === 1)).toBe(true);
      });

      test('from latest a new group sees only records published after it was created', async (c) => {
        await c.publishAll(c.a, 'orders', ['old']);
        const got = await c.drain(c.b, 'orders', { startAt: { type: 'latest' } });
        await c.publishAll(c.a, 'orders', ['new']);
        await c.until(() => got.messages.length === 1, 'the new record');
        await c.pass(c.T / 2);
        expect(got.messages.map((m) => text(m.body))).toEqual(['new']);
      });

      test('from an offset a new group starts at that offset', async (c) => {
        const offsets = await c.publishAll(c.a, 'orders', ['1', '2', '3']);
        const got = await c.drain(c.b, 'orders', { startAt: { type: 'offset', offset: offsets[1]! } });
        await c.until(() => got.messages.length === 2, 'two records');
        expect(got.messages.map((m) => text(m.body))).toEqual(['2', '3']);
      });

      byTime('from a time a new group starts at the first record at or after it', async (c) => {
        await c.publishAll(c.a, 'orders', ['before']);
        await c.pass(c.T);
        const after = await c.a.publish('orders', bytes('after'));
        const got = await c.drain(c.b, 'orders', { startAt: { type: 'time', time: after.timestamp } });
        await c.until(() => got.messages.length === 1, 'the later record');
        await c.pass(c.T / 2);
        expect(got.messages.map((m) => text(m.body))).toEqual(['after']);
      });

      test('consumers of one group share its records; another group gets them all', async (c) => {
        const offsets = await c.publishAll(c.a, 'orders', ['1', '2', '3', '4', '5', '6']);
        const one = await c.drain(c.a, 'orders', { group: 'billing', maxInFlight: 1 });
        const two = await c.drain(c.b, 'orders', { group: 'billing', maxInFlight: 1 });
        const audit = await c.drain(c.client('c'), 'orders', { group: 'audit' });
        await c.until(() => one.messages.length + two.messages.length === 6, 'the group to finish');
        await c.until(() => audit.messages.length === 6, 'the audit group to finish');
        await c.pass(c.T * 2);
        expect([...one.offsets(), ...two.offsets()].sort((x, y) => x - y)).toEqual(offsets);
        expect(audit.offsets()).toEqual(offsets);
      });

      test('an existing group resumes where it was, whatever the new startAt says', async (c) => {
        await c.publishAll(c.a, 'orders', ['1', '2', '3']);
        const first = await c.drain(c.b, 'orders', { group: 'billing', maxInFlight: 1 });
        await c.until(() => first.messages.length === 3, 'the first consumer to finish');
        await first.consumer.close();
        await c.publishAll(c.a, 'orders', ['4']);
        const second = await c.drain(c.client('c'), 'orders', { group: 'billing', startAt: { type: 'earliest' } });
        await c.until(() => second.messages.length === 1, 'the record published in between');
        await c.pass(c.T);
        expect(second.messages.map((m) => text(m.body))).toEqual(['4']);
      });

      test('iterating with for await yields records; breaking out closes the consumer', async (c) => {
        await c.publishAll(c.a, 'orders', ['1', '2', '3']);
        const consumer = await c.b.consume('orders', { group: 'loop', ack: 'auto' });
        const seen: string[] = [];
        let finished = false;
        void (async () => {
          for await (const message of consumer) {
            seen.push(text(message.body));
            if (seen.length === 2) break;
          }
          finished = true;
        })();
        await c.until(() => finished, 'the loop to break out');
        expect(seen).toEqual(['1', '2']);
        expect(await consumer.next()).toBeUndefined();
      });
    });

    describe('acks, redelivery and dead letters', () => {
      test('auto ack: a record is settled as it is handed out and never comes back', async (c) => {
        await c.publishAll(c.a, 'orders', ['1']);
        const got = await c.drain(c.b, 'orders', { ack: 'auto' }, () => undefined);
        await c.until(() => got.messages.length === 1, 'the record');
        await c.pass(3 * c.T);
        expect(got.messages).toHaveLength(1);
      });

      test('manual ack: an unacked record comes back after the deadline, counted; an acked one does not', async (c) => {
        await c.publishAll(c.a, 'orders', ['1']);
        const got = await c.drain(c.b, 'orders', { ack: 'manual' }, (m) => (m.deliveries === 2 ? m.ack() : undefined));
        await c.until(() => got.messages.length === 2, 'the redelivery');
        expect(got.messages.map((m) => [m.offset, m.deliveries])).toEqual([
          [got.messages[0]!.offset, 1],
          [got.messages[0]!.offset, 2],
        ]);
        await c.pass(3 * c.T);
        expect(got.messages).toHaveLength(2);
      });

      test('nack hands the record out again without waiting for the deadline', async (c) => {
        await c.publishAll(c.a, 'orders', ['1']);
        const got = await c.drain(c.b, 'orders', { ackDeadlineMs: 100 * c.T }, (m) =>
          m.deliveries === 1 ? m.nack() : m.ack(),
        );
        await c.until(() => got.messages.length === 2, 'the redelivery after nack');
        expect(got.messages[1]?.deliveries).toBe(2);
      });

      deadLetter('after maxDeliveries hand-outs the record goes to the dead-letter stream, once', async (c) => {
        const { offset } = await c.a.publish('orders', bytes('poison'));
        const got = await c.drain(c.b, 'orders', { maxDeliveries: 2, deadLetter: 'orders.dead' }, (m) => m.nack());
        const dead = await c.drain(c.client('c'), 'orders.dead');
        await c.until(() => dead.messages.length === 1, 'the dead letter');
        await c.pass(3 * c.T);
        expect(got.messages.map((m) => m.deliveries)).toEqual([1, 2]);
        expect(text(dead.messages[0]!.body)).toBe('poison');
        expect(dead.messages[0]?.headers).toMatchObject({
          'x-dead-letter-stream': 'orders',
          'x-dead-letter-offset': String(offset),
          'x-dead-letter-deliveries': '2',
        });
      });

      test('when a consumer closes holding unacked records, another consumer of the group gets them', async (c) => {
        await c.publishAll(c.a, 'orders', ['1', '2']);
        const leaving = await c.drain(c.a, 'orders', { group: 'billing' }, () => undefined);
        const held = () => new Set(leaving.offsets());
        await c.until(() => held().size === 2, 'the leaving consumer to hold both');
        const staying = await c.drain(c.b, 'orders', { group: 'billing' });
        await leaving.consumer.close();
        await c.until(() => new Set(staying.offsets()).size === 2, 'the staying consumer to get both');
        // On real time the leaving consumer may also have seen a redelivery; what matters is that
        // every record it held comes to the staying consumer again, counted as a further hand-out.
        for (const offset of held()) {
          const before = Math.max(...leaving.messages.filter((m) => m.offset === offset).map((m) => m.deliveries));
          const after = staying.messages.find((m) => m.offset === offset);
          expect(after?.deliveries).toBeGreaterThan(before);
        }
      });

      test('with maxInFlight 1 a group hands out offsets in order, each repeated until acked', async (c) => {
        const offsets = await c.publishAll(c.a, 'orders', ['1', '2', '3']);
        const got = await c.drain(c.b, 'orders', { group: 'strict', maxInFlight: 1 }, (m) =>
          m.offset === offsets[0] && m.deliveries === 1 ? undefined : m.ack(),
        );
        await c.until(() => got.messages.length === 4, 'all records, the first one twice');
        expect(got.offsets()).toEqual([offsets[0], offsets[0], offsets[1], offsets[2]]);
      });

      replay('after a group consumed everything, a new group replays from the start', async (c) => {
        await c.publishAll(c.a, 'orders', ['1', '2']);
        const first = await c.drain(c.b, 'orders', { group: 'one' });
        await c.until(() => first.messages.length === 2, 'the first group');
        const again = await c.drain(c.b, 'orders', { group: 'two', startAt: { type: 'earliest' } });
        await c.until(() => again.messages.length === 2, 'the replaying group');
        expect(again.offsets()).toEqual(first.offsets());
      });
    });

    describe('bad input', () => {
      test('rejects bad stream names, naming them', async ({ a }) => {
        await expectMicroError(a.publish('', bytes('x')), 'BAD_REQUEST', 'stream', 'empty');
        await expectMicroError(a.publish('a b', bytes('x')), 'BAD_REQUEST', 'a b');
        await expectMicroError(a.consume('orders.>'), 'BAD_REQUEST', '>');
        await expectMicroError(a.read(''), 'BAD_REQUEST', 'stream');
      });

      test('rejects bad consume and read options, naming them', async ({ a }) => {
        await expectMicroError(
          a.consume('orders', { startAt: { type: 'offset', offset: 0 } }),
          'BAD_REQUEST',
          'offset',
        );
        await expectMicroError(a.consume('orders', { startAt: { type: 'soon' } as never }), 'BAD_REQUEST', 'startAt');
        await expectMicroError(a.consume('orders', { ack: 'sometimes' as 'auto' }), 'BAD_REQUEST', 'ack', 'sometimes');
        await expectMicroError(a.consume('orders', { ackDeadlineMs: -1 }), 'BAD_REQUEST', 'ackDeadlineMs');
        await expectMicroError(a.consume('orders', { maxDeliveries: 0 }), 'BAD_REQUEST', 'maxDeliveries');
        await expectMicroError(a.consume('orders', { maxInFlight: 1.5 }), 'BAD_REQUEST', 'maxInFlight');
        await expectMicroError(a.consume('orders', { deadLetter: '' }), 'BAD_REQUEST', 'deadLetter');
        await expectMicroError(a.read('orders', { limit: 0 }), 'BAD_REQUEST', 'limit');
        await expectMicroError(a.publish('orders', [1, 2] as unknown as Uint8Array), 'BAD_REQUEST', 'body');
      });

      test('a closed client rejects calls with UNAVAILABLE', async ({ a }) => {
        await a.close();
        await a.close();
        await expectMicroError(a.publish('orders', bytes('x')), 'UNAVAILABLE');
      });
    });
  });
}
