/**
 * `set`: a set per key. `add v`, `remove v`, and `read`, which returns every element (an
 * array or a set, in any order). Elements compare as plain data. Unknown reads are left out.
 */
import { type Model, stableJson } from './model.js';

/** The state: the elements' canonical JSON, sorted, without duplicates. */
type Elements = readonly string[];

const canonical = (values: unknown): Elements => {
  const list = values instanceof Set ? [...values] : Array.isArray(values) ? values : null;
  if (list === null) throw new TypeError(`set: read must return an array or a set, got ${stableJson(values)}`);
  return [...new Set(list.map(stableJson))].sort();
};

const same = (a: Elements, b: Elements) => a.length === b.length && a.every((x, i) => x === b[i]);

export const set: Model<Elements> = {
  name: 'set',
  init: () => [],
  admits: (op) => op.status === 'ok' || (op.status === 'unknown' && op.f !== 'read'),
  partition: (op) => op.key ?? '',
  step(state, op) {
    switch (op.f) {
      case 'add': {
        const e = stableJson(op.input);
        return state.includes(e) ? state : [...state, e].sort();
      }
      case 'remove': {
        const e = stableJson(op.input);
        return state.includes(e) ? state.filter((x) => x !== e) : state;
      }
      case 'read':
        return same(canonical(op.output ?? []), state) ? state : undefined;
      default:
        throw new TypeError(`set: unknown operation "${op.f}" (expected add, remove or read)`);
    }
  },
  equal: same,
  describeState: (s) => `#{${s.join(' ')}}`,
};
