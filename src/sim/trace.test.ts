import { describe, expect, it } from 'vitest';
import { Trace } from './trace.js';

const msg = (trace: Trace, id: number) => ({
  id,
  fromRef: trace.intern('a'),
  toRef: trace.intern('b'),
  portRef: trace.intern('p'),
});

describe('trace', () => {
  it('keeps only the most recent window of messages, every custom record, and hashes them all', () => {
    const small = new Trace(true, 4);
    const large = new Trace(true, 1000);
    for (const trace of [small, large]) {
      trace.custom(0, trace.intern('a'), { type: 'grant', token: 1 });
      for (let id = 1; id <= 10; id++) trace.message(id, 'send', msg(trace, id), false);
      trace.custom(11, 0, { type: 'grant', token: 2 });
    }
    expect(small.hash()).toBe(large.hash());
    expect(small.length).toBe(12);
    const kept = small.events;
    expect(kept.filter((e) => e.type === 'grant').map((e) => (e as { token?: number }).token)).toEqual([1, 2]);
    const sends = kept.filter((e) => e.type === 'send').map((e) => (e as { id: number }).id);
    expect(sends.length).toBeGreaterThanOrEqual(4);
    expect(sends.at(-1)).toBe(10);
    expect(sends).not.toContain(1);
    expect(kept.map((e) => e.seq)).toEqual([...kept.map((e) => e.seq)].sort((x, y) => x - y));
    expect(large.events).toHaveLength(12);
  });

  it('reads stay right however the ring moved since the last read', () => {
    const trace = new Trace(true, 1024);
    trace.message(0, 'send', msg(trace, 1), false);
    expect(trace.events).toHaveLength(1);
    for (let id = 2; id <= 1030; id++) trace.message(id, 'send', msg(trace, id), false);
    const ids = trace.events.map((e) => (e as { id: number }).id);
    expect(ids[0]).toBeGreaterThanOrEqual(1030 - 1024 + 1);
    expect(ids.at(-1)).toBe(1030);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  it('rebuilds custom records with their fields, node and type, whatever their shape', () => {
    const trace = new Trace(true);
    trace.custom(5, trace.intern('locks'), { type: 'sync.grant', name: 'l', token: 3 });
    trace.custom(6, 0, { type: 'sync.grant', token: 4, name: 'l', extra: [1, 2] });
    expect(trace.events).toEqual([
      { seq: 0, time: 5, node: 'locks', type: 'sync.grant', name: 'l', token: 3, custom: true },
      { seq: 1, time: 6, type: 'sync.grant', token: 4, name: 'l', extra: [1, 2], custom: true },
    ]);
  });

  it('hashes a custom record by its keys and values, not by the order its keys were written in', () => {
    const hashOf = (records: { type: string; [k: string]: unknown }[]) => {
      const trace = new Trace(false);
      for (const r of records) trace.custom(1, 0, r);
      return trace.hash();
    };
    const a = hashOf([{ type: 'w', key: 'k', token: 1 }]);
    expect(hashOf([{ type: 'w', token: 1, key: 'k' }])).toBe(a);
    expect(hashOf([{ type: 'w', key: 'k', token: 2 }])).not.toBe(a);
    expect(hashOf([{ type: 'w', key: 'k', tokens: 1 }])).not.toBe(a);
    expect(hashOf([{ type: 'w', key: 'k', token: 1, nested: { x: 1 } }])).not.toBe(
      hashOf([{ type: 'w', key: 'k', token: 1, nested: { x: 2 } }]),
    );
  });
});

describe('trace without custom records', () => {
  it('hashes custom records it does not keep, and keeps the rest', () => {
    const full = new Trace(true);
    const lean = new Trace(true, 100, false);
    for (const trace of [full, lean]) {
      trace.custom(1, 0, { type: 'grant', token: 1 });
      trace.event(2, 'crash', 'a', 1);
    }
    expect(lean.hash()).toBe(full.hash());
    expect(lean.events.map((e) => e.type)).toEqual(['crash']);
    expect(full.events.map((e) => e.type)).toEqual(['grant', 'crash']);
  });
});

describe('trace pool', () => {
  it('keeps records whose fields span pool chunks, and one too wide to lay out flat', () => {
    const trace = new Trace(true);
    const wide: Record<string, unknown> & { type: string } = { type: 'wide' };
    for (let i = 0; i < 9000; i++) wide[`f${i}`] = i;
    for (let i = 0; i < 3000; i++) trace.custom(i, 0, { type: 'w', a: i, b: 'x', c: null });
    trace.custom(3000, 0, wide);
    trace.custom(3001, 0, { type: 'w', a: -1, b: 'y', c: 1 });
    const events = trace.events as unknown as Record<string, unknown>[];
    expect(events).toHaveLength(3002);
    expect(events.map((e) => e.a).slice(0, 3000)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(events[3000]!.f8999).toBe(8999);
    expect(events[3001]).toMatchObject({ a: -1, b: 'y', c: 1, time: 3001 });
  });
});
