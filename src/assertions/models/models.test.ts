import { describe, expect, it } from 'vitest';
import { checkHistory } from '../checker/check.js';
import type { HistoryEvent, ProcessId } from '../history.js';
import { counter, kv, mutex, queue, register, set } from './index.js';
import type { Model } from './model.js';

/** A sequential history: each step is one complete operation `[process, f, input, output?, status?]`. */
type Step = readonly [ProcessId, string, unknown, unknown?, ('ok' | 'fail' | 'unknown')?];
function sequential(steps: readonly Step[], key?: string): HistoryEvent[] {
  return steps.flatMap(([process, f, input, output, status = 'ok']) => {
    const base = key === undefined ? { process, f } : { process, f, key };
    return [
      { ...base, type: 'invoke' as const, value: input },
      { ...base, type: status, value: output === undefined ? input : output },
    ];
  });
}
const verdict = <S>(model: Model<S>, steps: readonly Step[], key?: string) =>
  checkHistory(sequential(steps, key), model).type;

describe('register (Jepsen semantics)', () => {
  it('reads nil before any write, then the last write', () => {
    expect(
      verdict(register, [
        [0, 'read', null, null],
        [0, 'write', 3],
        [1, 'read', null, 3],
      ]),
    ).toBe('linearizable');
    expect(
      verdict(register, [
        [0, 'write', 3],
        [1, 'read', null, null],
      ]),
    ).toBe('not-linearizable');
  });
  it('an ok cas swapped; a failed cas saw another value', () => {
    expect(
      verdict(register, [
        [0, 'write', 1],
        [1, 'cas', [1, 4]],
        [0, 'read', null, 4],
        [1, 'cas', [1, 2], null, 'fail'],
      ]),
    ).toBe('linearizable');
    expect(
      verdict(register, [
        [0, 'write', 1],
        [1, 'cas', [1, 4], null, 'fail'],
      ]),
    ).toBe('not-linearizable');
    expect(
      verdict(register, [
        [0, 'write', 1],
        [1, 'cas', [2, 4]],
      ]),
    ).toBe('not-linearizable');
  });
});

describe('kv (per key; a missing key reads "")', () => {
  it('appends concatenate and put overwrites', () => {
    const steps: Step[] = [
      [0, 'get', null, ''],
      [0, 'append', 'x'],
      [1, 'append', 'y'],
      [1, 'get', null, 'xy'],
      [0, 'put', 'z'],
      [0, 'get', null, 'z'],
      [0, 'delete', null],
      [1, 'get', null, ''],
    ];
    expect(verdict(kv, steps, 'k')).toBe('linearizable');
    expect(
      verdict(
        kv,
        [
          [0, 'append', 'x'],
          [1, 'append', 'y'],
          [1, 'get', null, 'yx'],
        ],
        'k',
      ),
    ).toBe('not-linearizable');
  });
});

describe('counter', () => {
  it('reads the sum of adds', () => {
    expect(
      verdict(counter, [
        [0, 'add', 2],
        [1, 'increment', null],
        [0, 'read', null, 3],
      ]),
    ).toBe('linearizable');
    expect(
      verdict(counter, [
        [0, 'add', 2],
        [0, 'read', null, 1],
      ]),
    ).toBe('not-linearizable');
  });
});

describe('queue', () => {
  it('dequeues in FIFO order and sees empty as null', () => {
    expect(
      verdict(queue, [
        [0, 'dequeue', null, null],
        [0, 'enqueue', 'a'],
        [1, 'enqueue', 'b'],
        [1, 'dequeue', null, 'a'],
        [0, 'dequeue', null, 'b'],
      ]),
    ).toBe('linearizable');
    expect(
      verdict(queue, [
        [0, 'enqueue', 'a'],
        [1, 'enqueue', 'b'],
        [1, 'dequeue', null, 'b'],
      ]),
    ).toBe('not-linearizable');
  });
});

describe('set', () => {
  it('reads every element added and not removed, in any order', () => {
    expect(
      verdict(set, [
        [0, 'add', 1],
        [1, 'add', 2],
        [0, 'remove', 1],
        [1, 'add', 3],
        [0, 'read', null, [3, 2]],
      ]),
    ).toBe('linearizable');
    expect(
      verdict(set, [
        [0, 'add', 1],
        [1, 'add', 2],
        [0, 'read', null, [1]],
      ]),
    ).toBe('not-linearizable');
  });
});

describe('mutex with fencing tokens', () => {
  it('grants one holder at a time with increasing tokens', () => {
    expect(
      verdict(
        mutex,
        [
          [0, 'acquire', null, 1],
          [1, 'acquire', null, null, 'fail'],
          [0, 'release', 1],
          [1, 'acquire', null, 2],
        ],
        'lock',
      ),
    ).toBe('linearizable');
    expect(
      verdict(
        mutex,
        [
          [0, 'acquire', null, 1],
          [1, 'acquire', null, 2],
        ],
        'lock',
      ),
    ).toBe('not-linearizable');
    expect(
      verdict(
        mutex,
        [
          [0, 'acquire', null, 5],
          [0, 'release', 5],
          [1, 'acquire', null, 3],
        ],
        'lock',
      ),
    ).toBe('not-linearizable');
  });
});

describe('a bad operation name', () => {
  it('is an error naming the model and the operation', () => {
    expect(() => verdict(register, [[0, 'frobnicate', 1]])).toThrow(/register: unknown operation "frobnicate"/);
  });
});
