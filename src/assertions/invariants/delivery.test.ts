import { describe, expect, it } from 'vitest';
import { consumerGroupOrdering, deliveredWithin, noDuplicateEffects } from './delivery.js';

const published = (time: number, id: string) => ({ type: 'message-published', time, id });
const delivered = (time: number, id: string, seq?: number) =>
  seq === undefined
    ? { type: 'message-delivered', time, id }
    : { type: 'message-delivered', time, id, group: 'billing', orderingKey: 'cust-1', seq };

describe('every message delivered within a bound', () => {
  it('holds when deliveries come in time, and ignores windows still open at the end', () => {
    const trace = [published(0, 'm1'), delivered(40, 'm1'), published(90, 'm2'), { type: 'run-ended', time: 100 }];
    expect(deliveredWithin(50).check(trace).type).toBe('ok');
  });

  it('is violated by a late or missing delivery', () => {
    const trace = [published(0, 'm1'), delivered(80, 'm1'), published(10, 'm2'), { type: 'run-ended', time: 200 }];
    const verdict = deliveredWithin(50).check(trace);
    expect(verdict).toMatchObject({ type: 'violated', events: [trace[0], trace[2]] });
    if (verdict.type === 'violated') expect(verdict.message).toContain('m2 (published t=10, never delivered)');
  });

  it('names a bad bound', () => {
    expect(() => deliveredWithin(0)).toThrow(/deliveredWithin\(withinMs\)/);
  });
});

describe('no side effect applied twice', () => {
  it('holds when redeliveries are deduplicated', () => {
    const trace = [delivered(1, 'm1'), { type: 'effect-applied', time: 2, id: 'm1' }, delivered(3, 'm1')];
    expect(noDuplicateEffects().check(trace).type).toBe('ok');
  });
  it('is violated by a second effect for one message', () => {
    const trace = [
      { type: 'effect-applied', time: 2, id: 'm1' },
      { type: 'effect-applied', time: 9, id: 'm1' },
    ];
    expect(noDuplicateEffects().check(trace)).toMatchObject({ type: 'violated', events: trace });
  });
});

describe('consumer-group ordering', () => {
  it('holds for in-order first deliveries, redeliveries allowed', () => {
    const trace = [delivered(1, 'a', 1), delivered(2, 'b', 2), delivered(3, 'a', 1), delivered(4, 'c', 3)];
    expect(consumerGroupOrdering().check(trace).type).toBe('ok');
  });
  it('is violated when an earlier message is first delivered after a later one', () => {
    const trace = [delivered(1, 'a', 1), delivered(2, 'c', 3), delivered(3, 'b', 2)];
    const verdict = consumerGroupOrdering().check(trace);
    expect(verdict).toMatchObject({ type: 'violated', events: [trace[1], trace[2]] });
    if (verdict.type === 'violated') expect(verdict.message).toContain('group billing, key cust-1: message b (seq 2)');
  });
});
