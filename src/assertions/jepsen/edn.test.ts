import { describe, expect, it } from 'vitest';
import { EdnSyntaxError, formatEdn, kw, parseEdn } from './edn.js';

describe('the EDN reader', () => {
  it('reads a Jepsen operation map', () => {
    const map = parseEdn('{:process 0, :type :invoke, :f :cas, :key "x", :value [1 4]}') as Map<unknown, unknown>;
    expect(map.get(kw('type'))).toBe(kw('invoke'));
    expect(map.get(kw('key'))).toBe('x');
    expect(map.get(kw('value'))).toEqual([1, 4]);
  });

  it('reads nil, numbers, strings with escapes, lists, sets, tags, comments and discards', () => {
    expect(parseEdn('nil')).toBeNull();
    expect(parseEdn('-3.5')).toBe(-3.5);
    expect(parseEdn('42N')).toBe(42);
    expect(parseEdn('"a\\"b\\nc"')).toBe('a"b\nc');
    expect(parseEdn('(1 2)')).toEqual([1, 2]);
    expect(parseEdn('#{1 2}')).toEqual(new Set([1, 2]));
    expect(parseEdn('#inst "2026-01-01"')).toBe('2026-01-01');
    expect(parseEdn('[1 #_ 2 3] ; trailing comment')).toEqual([1, 3]);
  });

  it('rejects truncated and trailing input with the column', () => {
    expect(() => parseEdn('{:process 0, :type')).toThrow(EdnSyntaxError);
    expect(() => parseEdn('{:a 1} {:b 2}')).toThrow(/after the value at column 8/);
    expect(() => parseEdn('"open')).toThrow(/unterminated string at column 1/);
    expect(() => parseEdn('12abc')).toThrow(/bad number/);
  });

  it('writes what it reads', () => {
    const text = '{:process 3, :type :ok, :f :read, :value [1 nil "x" #{2}]}';
    expect(formatEdn(parseEdn(text))).toBe(text);
  });
});
