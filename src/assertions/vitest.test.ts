import { describe, expect, it } from 'vitest';
import type { History } from './history.js';
import { atMostOneLeaderPerEpoch } from './invariants/fencing.js';
import { register } from './models/register.js';
import { createRecorder } from './recorder.js';
import './vitest.js';

const staleRead: History = [
  { type: 'invoke', process: 0, f: 'write', value: 1 },
  { type: 'ok', process: 0, f: 'write', value: 1 },
  { type: 'invoke', process: 1, f: 'read', value: null },
  { type: 'ok', process: 1, f: 'read', value: null },
];

const failureOf = (assertion: () => void): string => {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the assertion passed');
};

describe('toBeLinearizable', () => {
  it('passes for a recorder whose client saw its own write', async () => {
    let now = 0;
    const recorder = createRecorder({ clock: { now: () => now++ } });
    let cell: unknown = null;
    await recorder.record({ process: 0, f: 'write', value: 5 }, async () => {
      cell = 5;
    });
    await recorder.record({ process: 0, f: 'read' }, async () => cell);
    expect(recorder).toBeLinearizable(register);
    expect(staleRead).not.toBeLinearizable(register);
  });

  it('fails with the prefix, the operation that cannot be placed, the seed and the replay command', () => {
    const run = { history: staleRead, seed: 42, replay: 'microcosm replay scenarios/kv.ts --seed 42' };
    const message = failureOf(() => expect(run).toBeLinearizable(register));
    expect(message).toContain('expected the history to be linearizable (model register)');
    expect(message).toContain('cannot place: #1 p1 read → null');
    expect(message).toContain('#0 p0 write 1 → ok');
    expect(message).toContain('seed: 42');
    expect(message).toContain('replay: microcosm replay scenarios/kv.ts --seed 42');
  });
});

describe('toHold', () => {
  const twoLeaders = [
    { type: 'leader-elected', time: 1, node: 'a', epoch: 1 },
    { type: 'leader-elected', time: 2, node: 'b', epoch: 1 },
  ];

  it('passes when the invariant holds, and leaves vitest’s own toSatisfy alone', () => {
    expect(twoLeaders.slice(0, 1)).toHold(atMostOneLeaderPerEpoch());
    expect(3).toSatisfy((n: number) => n > 2);
  });

  it('fails naming the invariant, the message, the events and the seed', () => {
    const message = failureOf(() => expect({ events: twoLeaders, seed: 7 }).toHold(atMostOneLeaderPerEpoch()));
    expect(message).toContain('expected the run to hold "at most one leader per epoch"');
    expect(message).toContain('epoch 1 has two leaders: a (t=1) and b (t=2)');
    expect(message).toContain('"node":"b"');
    expect(message).toContain('seed: 7');
  });
});
