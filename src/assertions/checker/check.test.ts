import { describe, expect, it } from 'vitest';
import type { History, HistoryEvent } from '../history.js';
import type { Model } from '../models/model.js';
import { register } from '../models/register.js';
import { checkHistory } from './check.js';

const ev = (type: HistoryEvent['type'], process: number, f: string, value: unknown, key?: string): HistoryEvent =>
  key === undefined ? { type, process, f, value } : { type, process, f, value, key };

describe('checkHistory on a register', () => {
  it('accepts a read that overlaps a write and sees either value', () => {
    const history: History = [
      ev('invoke', 0, 'write', 1),
      ev('ok', 0, 'write', 1),
      ev('invoke', 1, 'write', 2),
      ev('invoke', 2, 'read', null),
      ev('ok', 2, 'read', 1),
      ev('ok', 1, 'write', 2),
    ];
    expect(checkHistory(history, register).type).toBe('linearizable');
  });

  it('rejects a stale read after a completed write, naming the read', () => {
    const history: History = [
      ev('invoke', 0, 'write', 1),
      ev('ok', 0, 'write', 1),
      ev('invoke', 0, 'write', 2),
      ev('ok', 0, 'write', 2),
      ev('invoke', 1, 'read', null),
      ev('ok', 1, 'read', 1),
    ];
    const result = checkHistory(history, register);
    expect(result.type).toBe('not-linearizable');
    if (result.type !== 'not-linearizable') return;
    const [violation] = result.violations;
    expect(violation?.prefix.map((op) => op.input)).toEqual([1, 2]);
    expect(violation?.stuck?.f).toBe('read');
    expect(violation?.message).toContain('#2 p1 read → 1 cannot be placed');
    expect(violation?.timeline.operations.find((op) => op.stuck)?.id).toBe(2);
  });

  it('lets an unknown write take effect late — or never', () => {
    const took: History = [
      ev('invoke', 0, 'write', 7),
      ev('unknown', 0, 'write', null),
      ev('invoke', 1, 'read', null),
      ev('ok', 1, 'read', 7),
    ];
    const never: History = [...took.slice(0, 2), ev('invoke', 1, 'read', null), ev('ok', 1, 'read', null)];
    expect(checkHistory(took, register).type).toBe('linearizable');
    expect(checkHistory(never, register).type).toBe('linearizable');
  });

  it('checks keys independently: one bad key is enough', () => {
    const history: History = [
      ev('invoke', 0, 'write', 1, 'a'),
      ev('ok', 0, 'write', 1, 'a'),
      ev('invoke', 1, 'read', null, 'b'),
      ev('ok', 1, 'read', 1, 'b'),
    ];
    const result = checkHistory(history, register);
    expect(result.type).toBe('not-linearizable');
    expect(result.partitions.map((p) => p.partition)).toEqual(['a', 'b']);
    if (result.type === 'not-linearizable') expect(result.violations[0]?.partition).toBe('b');
  });

  it('answers unknown, not a guess, when the time limit passes', () => {
    let now = 0;
    const clock = { now: () => (now += 1000) };
    // A search that cannot finish quickly: many concurrent unknown writes and contradicting reads.
    const history: HistoryEvent[] = [];
    for (let p = 0; p < 12; p++) history.push(ev('invoke', p, 'write', p));
    for (let p = 0; p < 12; p++) history.push(ev('unknown', p, 'write', null));
    for (let i = 0; i < 12; i++) history.push(ev('invoke', 100 + i, 'read', null), ev('ok', 100 + i, 'read', 99));
    const result = checkHistory(history, register, { timeoutMs: 1, clock });
    expect(result.type).toBe('unknown');
  });

  it('runs a model written in a few lines', () => {
    const flag: Model<boolean> = {
      name: 'flag',
      init: () => false,
      step: (on, op) => (op.f === 'set' ? true : op.output === on ? on : undefined),
    };
    const history: History = [
      ev('invoke', 0, 'set', null),
      ev('ok', 0, 'set', null),
      ev('invoke', 1, 'get', null),
      ev('ok', 1, 'get', false),
    ];
    expect(checkHistory(history, flag).type).toBe('not-linearizable');
    expect(checkHistory(history.slice(0, 2), flag).type).toBe('linearizable');
  });

  it('names a bad option', () => {
    expect(() => checkHistory([], register, { timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
