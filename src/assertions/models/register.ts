/**
 * `register`: one register per key (a single register when operations carry no key), Jepsen
 * semantics. `read` returns the value (`null` = never written); `write v`; `cas [from, to]`,
 * where `ok` means it swapped and `fail` means it saw a value other than `from`. Unknown
 * reads constrain nothing and are left out; other unknown operations may or may not have
 * taken effect.
 */
import type { Operation } from '../history.js';
import { type Model, stableJson, valueEquals } from './model.js';

function casArgs(op: Operation): readonly unknown[] {
  const v = op.input;
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`register: cas needs [from, to], got ${stableJson(v)}`);
  return v;
}

export const register: Model<unknown> = {
  name: 'register',
  init: () => null,
  admits: (op) => (op.status === 'fail' ? op.f === 'cas' : !(op.status === 'unknown' && op.f === 'read')),
  partition: (op) => op.key ?? '',
  step(state, op) {
    switch (op.f) {
      case 'read':
        return valueEquals(op.output ?? null, state) ? state : undefined;
      case 'write':
        return op.input ?? null;
      case 'cas': {
        const args = casArgs(op);
        const to = args[1];
        const matches = valueEquals(args[0], state);
        if (op.status === 'ok') return matches ? to : undefined;
        if (op.status === 'fail') return matches ? undefined : state;
        return matches ? to : state;
      }
      default:
        throw new TypeError(`register: unknown operation "${op.f}" (expected read, write or cas)`);
    }
  },
  equal: valueEquals,
};
