/**
 * `counter`: an integer per key starting at 0. `add n` (also `increment`, n defaulting to 1)
 * and `read`, which returns the current count. Unknown reads are left out.
 */
import type { Operation } from '../history.js';
import type { Model } from './model.js';

function amount(op: Operation): number {
  const n = op.input ?? 1;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new TypeError(`counter: ${op.f} needs a number, got ${String(n)}`);
  return n;
}

export const counter: Model<number> = {
  name: 'counter',
  init: () => 0,
  admits: (op) => op.status === 'ok' || (op.status === 'unknown' && op.f !== 'read'),
  partition: (op) => op.key ?? '',
  step(state, op) {
    switch (op.f) {
      case 'add':
      case 'increment':
        return state + amount(op);
      case 'read':
        return op.output === state ? state : undefined;
      default:
        throw new TypeError(`counter: unknown operation "${op.f}" (expected add, increment or read)`);
    }
  },
  equal: (a, b) => a === b,
  describeState: String,
};
