import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownedCopy } from './owned-copy.js';

describe('ownedCopy', () => {
  it('equals what structuredClone gives, for any JSON-like value with byte arrays in it', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.uint8Array({ maxLength: 8 }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(ownedCopy(v)).toStrictEqual(structuredClone(v));
      }),
    );
  });

  it('shares no memory with the original', () => {
    const original = { list: [{ n: 1 }], bytes: new Uint8Array([1, 2]) };
    const copy = ownedCopy(original);
    original.list[0]!.n = 2;
    original.bytes[0] = 9;
    expect(copy).toEqual({ list: [{ n: 1 }], bytes: new Uint8Array([1, 2]) });
  });

  it('hands what it does not know to structuredClone: maps and dates copied, functions refused', () => {
    const when = new Date(5);
    const copy = ownedCopy({ m: new Map([[1, 'a']]), when });
    expect(copy.m).toEqual(new Map([[1, 'a']]));
    expect(copy.when).not.toBe(when);
    expect(() => ownedCopy({ f: () => 1 })).toThrow();
  });

  it('survives a cycle (past the depth limit structuredClone takes over)', () => {
    const a: { self?: unknown } = {};
    a.self = a;
    expect(() => ownedCopy(a)).not.toThrow();
  });
});
