/**
 * Model test: random sequences of publish / pull / ack / nack / time passing against one
 * consumer group of the memory Events, checked step by step against a tiny reference model of
 * offsets, in-flight records, deadlines, the retry queue and dead letters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ManualRuntime, manualRuntime } from '../../conformance/support.js';
import { memoryEvents } from './memory.js';
import type { Consumer, EventMessage, Events } from './types.js';

const DEADLINE = 10;
const MAX_DELIVERIES = 3;
const MAX_IN_FLIGHT = 2;

interface Model {
  now: number;
  published: number;
  cursor: number;
  deliveries: Map<number, number>;
  /** Handed out and not settled: offset → deadline. */
  outstanding: Map<number, number>;
  retry: number[];
  deadLetters: number;
}

interface Real {
  runtime: ManualRuntime;
  events: Events;
  consumer: Consumer;
  latest: Map<number, EventMessage>;
}

const inFlight = (m: Model) => m.outstanding.size + m.retry.length;
const nextOffset = (m: Model): number | undefined => {
  if (m.retry.length > 0) return Math.min(...m.retry);
  if (m.cursor < m.published && inFlight(m) < MAX_IN_FLIGHT) return m.cursor + 1;
  return undefined;
};

/** The record comes back, or is dead-lettered once it has been handed out MAX_DELIVERIES times. */
const giveBack = (m: Model, offset: number) => {
  m.outstanding.delete(offset);
  if ((m.deliveries.get(offset) ?? 0) >= MAX_DELIVERIES) m.deadLetters++;
  else m.retry.push(offset);
};

class Publish implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const { offset } = await r.events.publish('orders', new Uint8Array([m.published % 256]));
    m.published++;
    expect(offset).toBe(m.published);
  }
  toString = () => 'publish';
}

class Pull implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => nextOffset(m as Model) !== undefined;
  async run(m: Model, r: Real) {
    const expected = nextOffset(m)!;
    const message = await r.consumer.next();
    if (m.retry.includes(expected)) m.retry.splice(m.retry.indexOf(expected), 1);
    else m.cursor = expected;
    const count = (m.deliveries.get(expected) ?? 0) + 1;
    m.deliveries.set(expected, count);
    m.outstanding.set(expected, m.now + DEADLINE);
    expect([message?.offset, message?.deliveries]).toEqual([expected, count]);
    r.latest.set(expected, message!);
  }
  toString = () => 'pull';
}

class Settle implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly how: 'ack' | 'nack',
  ) {}
  check = (m: Readonly<Model>) => m.outstanding.size > 0;
  async run(m: Model, r: Real) {
    const offsets = [...m.outstanding.keys()].sort((x, y) => x - y);
    const offset = offsets[this.pick % offsets.length]!;
    const message = r.latest.get(offset)!;
    if (this.how === 'ack') {
      await message.ack();
      m.outstanding.delete(offset);
    } else {
      await message.nack();
      giveBack(m, offset);
    }
    expect((await r.events.read('orders.dead')).length).toBe(m.deadLetters);
  }
  toString = () => `${this.how}(#${this.pick})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.runtime.advance(this.ms);
    m.now += this.ms;
    for (const [offset, deadline] of [...m.outstanding]) if (deadline <= m.now) giveBack(m, offset);
    expect((await r.events.read('orders.dead')).length).toBe(m.deadLetters);
  }
  toString = () => `advance(${this.ms})`;
}

const commands = fc.commands(
  [
    fc.constant(new Publish()),
    fc.constant(new Pull()),
    fc.constant(new Pull()),
    fc.tuple(fc.nat(5), fc.constantFrom('ack' as const, 'nack' as const)).map(([p, how]) => new Settle(p, how)),
    fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 * DEADLINE })).map((ms) => new Advance(ms)), // small steps hit deadlines exactly
  ],
  { maxCommands: 60, size: 'large' },
);

describe('memory Events against a reference model', () => {
  it('agrees on offsets, hand-out order, delivery counts, deadlines, acks and dead letters', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const runtime = manualRuntime();
        const events = memoryEvents({ runtime });
        const consumer = await events.consume('orders', {
          group: 'billing',
          ackDeadlineMs: DEADLINE,
          maxDeliveries: MAX_DELIVERIES,
          maxInFlight: MAX_IN_FLIGHT,
          deadLetter: 'orders.dead',
        });
        const model: Model = {
          now: 0,
          published: 0,
          cursor: 0,
          deliveries: new Map(),
          outstanding: new Map(),
          retry: [],
          deadLetters: 0,
        };
        await fc.asyncModelRun(() => ({ model, real: { runtime, events, consumer, latest: new Map() } }), cmds);
      }),
      { numRuns: 100 },
    );
  });
});
