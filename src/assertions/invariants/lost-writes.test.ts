import { describe, expect, it } from 'vitest';
import { noAcknowledgedWriteLost } from './lost-writes.js';

const acked = (time: number, key: string, value: unknown) => ({ type: 'write-acknowledged', time, key, value });

describe('no acknowledged write lost', () => {
  it('holds when the final read holds every acknowledged value', () => {
    const trace = [
      acked(1, 'cart', 'a'),
      acked(2, 'cart', 'b'),
      { type: 'final-read', time: 90, key: 'cart', values: ['b', 'a', 'c'] },
    ];
    expect(noAcknowledgedWriteLost().check(trace).type).toBe('ok');
  });

  it('is violated by an acknowledged value missing at the end', () => {
    const trace = [
      acked(1, 'cart', 'a'),
      acked(2, 'cart', 'b'),
      { type: 'final-read', time: 90, key: 'cart', values: ['a'] },
    ];
    const verdict = noAcknowledgedWriteLost().check(trace);
    expect(verdict).toMatchObject({ type: 'violated', events: [trace[1]] });
    if (verdict.type === 'violated')
      expect(verdict.message).toBe('1 acknowledged write(s) lost: "b" → cart (acknowledged t=2)');
  });

  it('cannot confirm a key that was never read at the end', () => {
    expect(noAcknowledgedWriteLost().check([acked(1, 'k', 1)]).type).toBe('violated');
  });
});
