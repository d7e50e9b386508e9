import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './queue.js';

type Item = { time: number; seq: number; queued: boolean; slot: number; label: number };

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
            const item = { time: now + op, seq: 0, queued: false, slot: 0, label: label++ };
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

  it('takes removed events out at once: never popped, and nextTime skips times left empty', () => {
    // Ops: push at (last popped time + n), pop, or remove the k-th event pushed so far.
    const op = fc.oneof(
      { arbitrary: fc.record({ push: fc.integer({ min: 0, max: 5 }) }), weight: 3 },
      { arbitrary: fc.constant({ pop: true as const }), weight: 2 },
      { arbitrary: fc.record({ remove: fc.nat(400) }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (script) => {
        const queue = new EventQueue<Item>();
        const pushed: Item[] = [];
        let model: Item[] = [];
        let now = 0;
        for (const step of script) {
          if ('push' in step) {
            const item = { time: now + step.push, seq: 0, queued: false, slot: 0, label: pushed.length };
            queue.push(item);
            pushed.push(item);
            model.push(item);
          } else if ('pop' in step) {
            model.sort((a, b) => a.time - b.time || a.label - b.label);
            const expected = model.shift();
            const got = queue.pop();
            expect(got?.label).toBe(expected?.label);
            if (got !== undefined) now = got.time;
          } else if (pushed.length > 0) {
            const victim = pushed[step.remove % pushed.length]!;
            queue.remove(victim); // popped or removed already: a no-op
            model = model.filter((m) => m !== victim);
          }
          expect(queue.size).toBe(model.length);
          expect(queue.nextTime).toBe(
            model.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...model.map((m) => m.time)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
