/**
 * `kv`: a map of string keys, checked per key (each key is an independent string register).
 * `get` returns the value, a missing key reading as `""`; `put v`; `append v` concatenates;
 * `delete` removes the key (it reads as `""` again). Unknown gets are left out.
 *
 * The state carries its own hash, extended on each append, so the search tells apart the
 * many orders of concurrent appends without rehashing ever longer strings.
 */
import { hashString, type Model } from './model.js';

export interface KvValue {
  readonly value: string;
  readonly hash: number;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const of = (value: string): KvValue => ({ value, hash: hashString(value) });
const EMPTY = of('');

export const kv: Model<KvValue> = {
  name: 'kv',
  init: () => EMPTY,
  admits: (op) => op.status === 'ok' || (op.status === 'unknown' && op.f !== 'get'),
  partition: (op) => op.key ?? '',
  step(state, op) {
    switch (op.f) {
      case 'get':
        return text(op.output) === state.value ? state : undefined;
      case 'put':
        return of(text(op.input));
      case 'append': {
        const suffix = text(op.input);
        return { value: state.value + suffix, hash: hashString(suffix, state.hash) };
      }
      case 'delete':
        return EMPTY;
      default:
        throw new TypeError(`kv: unknown operation "${op.f}" (expected get, put, append or delete)`);
    }
  },
  equal: (a, b) => a.hash === b.hash && a.value === b.value,
  hash: (s) => s.hash,
  describeState: (s) => JSON.stringify(s.value),
};
