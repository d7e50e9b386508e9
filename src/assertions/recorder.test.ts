import { describe, expect, it } from 'vitest';
import { toOperations } from './history.js';
import { classifyError, createRecorder } from './recorder.js';

/** A MicroError as the framework builds it: recognised by its Symbol.for brand. */
const microError = (code: string) => Object.assign(new Error(code), { [Symbol.for('microcosm.error')]: true, code });

describe('the history recorder', () => {
  it('records invoke and ok with times from the injected clock, and returns the result', async () => {
    let now = 100;
    const recorder = createRecorder({ clock: { now: () => now } });
    const value = await recorder.record({ process: 'c1', f: 'read', key: 'x' }, async () => {
      now = 105;
      return 7;
    });
    expect(value).toBe(7);
    expect(recorder.history).toEqual([
      { type: 'invoke', process: 'c1', f: 'read', key: 'x', value: null, time: 100 },
      { type: 'ok', process: 'c1', f: 'read', key: 'x', value: 7, time: 105 },
    ]);
  });

  it('records a timeout as unknown and a conflict as fail, rethrowing both', async () => {
    const recorder = createRecorder({ clock: { now: () => 0 } });
    await expect(
      recorder.record({ process: 1, f: 'write', value: 3 }, () => Promise.reject(microError('TIMEOUT'))),
    ).rejects.toThrow('TIMEOUT');
    await expect(
      recorder.record({ process: 2, f: 'write', value: 4 }, () => Promise.reject(microError('CONFLICT'))),
    ).rejects.toThrow();
    const [first, second] = toOperations(recorder.history);
    expect(first).toMatchObject({ status: 'unknown', error: 'TIMEOUT', ret: Number.POSITIVE_INFINITY });
    expect(second).toMatchObject({ status: 'fail', error: 'CONFLICT', input: 4 });
  });

  it('classifies aborts as unknown, plain errors as fail, and lets the caller decide', async () => {
    expect(classifyError(new DOMException('stop', 'AbortError'))).toBe('unknown');
    expect(classifyError(microError('UNAVAILABLE'))).toBe('unknown');
    expect(classifyError(new Error('boom'))).toBe('fail');
    const recorder = createRecorder({ clock: { now: () => 0 } });
    await expect(
      recorder.record({ process: 1, f: 'cas', value: [1, 2] }, () => Promise.reject(new Error('crash')), {
        classify: () => 'unknown',
      }),
    ).rejects.toThrow('crash');
    expect(recorder.history[1]?.type).toBe('unknown');
  });
});

describe('pairing events into operations', () => {
  it('leaves an invoke without completion open to the end', () => {
    const ops = toOperations([
      { type: 'invoke', process: 0, f: 'write', value: 1 },
      { type: 'invoke', process: 1, f: 'read', value: null },
      { type: 'ok', process: 1, f: 'read', value: null },
    ]);
    expect(ops.map((op) => [op.id, op.status, op.ret])).toEqual([
      [0, 'unknown', Number.POSITIVE_INFINITY],
      [1, 'ok', 2],
    ]);
  });

  it('names the event when a completion has no invoke', () => {
    expect(() => toOperations([{ type: 'ok', process: 4, f: 'read', value: 1 }])).toThrow(
      /event 0: process 4 completes read \(ok\) without an invoke/,
    );
  });
});
