/**
 * `queue`: a FIFO queue per key. `enqueue v`; `dequeue` returns the head, or `null` when it
 * observed the queue empty. A failed operation had no effect; an unknown dequeue may have
 * removed the head.
 */
import { type Model, stableJson, valueEquals } from './model.js';

export const queue: Model<readonly unknown[]> = {
  name: 'queue',
  init: () => [],
  partition: (op) => op.key ?? '',
  step(state, op) {
    switch (op.f) {
      case 'enqueue':
        return [...state, op.input];
      case 'dequeue': {
        if (op.status === 'unknown') return state.length === 0 ? state : state.slice(1);
        const out = op.output ?? null;
        if (state.length === 0) return out === null ? state : undefined;
        return valueEquals(state[0], out) ? state.slice(1) : undefined;
      }
      default:
        throw new TypeError(`queue: unknown operation "${op.f}" (expected enqueue or dequeue)`);
    }
  },
  equal: (a, b) => a.length === b.length && a.every((x, i) => valueEquals(x, b[i])),
  describeState: (s) => stableJson(s),
};
