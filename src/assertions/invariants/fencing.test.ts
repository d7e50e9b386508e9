import { describe, expect, it } from 'vitest';
import { atMostOneLeaderPerEpoch, noStaleFencedWrites } from './fencing.js';

describe('at most one leader per fencing epoch', () => {
  it('holds when each epoch has one leader, even re-announced', () => {
    const trace = [
      { type: 'leader-elected', time: 10, node: 'a', epoch: 1 },
      { type: 'leader-elected', time: 12, node: 'a', epoch: 1 },
      { type: 'leader-elected', time: 50, node: 'b', epoch: 2 },
    ];
    expect(atMostOneLeaderPerEpoch().check(trace)).toEqual({ type: 'ok' });
  });

  it('is violated by two leaders in one epoch, naming both', () => {
    const trace = [
      { type: 'leader-elected', time: 10, node: 'a', epoch: 3, resource: 'orders' },
      { type: 'leader-elected', time: 11, node: 'b', epoch: 3, resource: 'orders' },
    ];
    const verdict = atMostOneLeaderPerEpoch().check(trace);
    expect(verdict).toMatchObject({ type: 'violated', events: trace });
    if (verdict.type === 'violated')
      expect(verdict.message).toBe('epoch 3 of orders has two leaders: a (t=10) and b (t=11)');
  });
});

describe('no write accepted with a stale fencing token', () => {
  it('holds while accepted tokens never go down', () => {
    const trace = [
      { type: 'write-accepted', time: 1, resource: 'db', token: 1 },
      { type: 'write-accepted', time: 2, resource: 'db', token: 1 },
      { type: 'write-accepted', time: 3, resource: 'db', token: 2 },
    ];
    expect(noStaleFencedWrites().check(trace).type).toBe('ok');
  });

  it('is violated when an old leader writes after a newer token was accepted', () => {
    const trace = [
      { type: 'write-accepted', time: 5, resource: 'db', token: 7, node: 'b' },
      { type: 'write-accepted', time: 6, resource: 'db', token: 6, node: 'a' },
    ];
    const verdict = noStaleFencedWrites().check(trace);
    expect(verdict.type).toBe('violated');
    if (verdict.type === 'violated')
      expect(verdict.message).toContain('accepted token 6 from a at t=6 after it had accepted token 7');
  });
});
