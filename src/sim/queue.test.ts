import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './queue.js';

type Item = { time: number; seq: number; label: number };

describe('EventQueue', () => {
  it('pops in (time, insertion order) for any interleaving of pushes and pops', () => {
    // Ops: a number pushes an event at (last popped time + n); null pops one.
    const ops = fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { freq: 3 }), { maxLength: 300 });
    fc.assert(
      fc.property(ops, (script) => {
        const queue = new EventQueue<Item>();
        const model: Item[] = [];
        let now = 0;
        let label = 0;
        for (const op of script) {
          if (op === null) {
            model.sort((a, b) => a.time - b.time || a.label - b.label);
            const expected = model.shift();
            const got = queue.pop();
            expect(got?.label).toBe(expected?.label);
            if (got !== undefined) now = got.time;
          } else {
            const item = { time: now + op, seq: 0, label: label++ };
            queue.push(item);
            model.push(item);
          }
          expect(queue.size).toBe(model.length);
          expect(queue.nextTime).toBe(
            model.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...model.map((m) => m.time)),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
