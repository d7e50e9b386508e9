import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './queue.js';

describe('EventQueue', () => {
  it('pops in (time, insertion order) for any pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<{ time: number; seq: number; label: number }>();
        for (const [label, time] of times.entries()) queue.push({ time, seq: 0, label });
        const popped: number[] = [];
        for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e.label);
        const expected = times
          .map((time, label) => ({ time, label }))
          .sort((a, b) => a.time - b.time || a.label - b.label);
        expect(popped).toEqual(expected.map((e) => e.label));
        expect(queue.size).toBe(0);
        expect(queue.nextTime).toBe(Number.POSITIVE_INFINITY);
      }),
      { numRuns: 200 },
    );
  });
});
