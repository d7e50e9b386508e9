import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUtf8, utf8Length, writeUtf8 } from './strings.js';

const roundTrip = (text: string) => {
  const buf = Buffer.alloc(utf8Length(text) + 2);
  const end = writeUtf8(buf, 1, text, utf8Length(text));
  return { end, back: readUtf8(buf, 1, end) };
};

describe('header string fast paths', () => {
  it('measure, write and read back ASCII, unicode and long strings exactly', () => {
    for (const text of ['', 't', 'application/json', 'ünïcode ✓', '🎉', 'x'.repeat(33), 'é'.repeat(40)]) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text));
      expect(roundTrip(text)).toEqual({ end: 1 + Buffer.byteLength(text), back: text });
    }
  });

  it('never returns a different string from the intern table, even when slots collide', () => {
    // 5 000 distinct short strings over 1 024 slots: collisions are certain; each read must still be exact.
    const texts = Array.from({ length: 2_000 }, (_, i) => `k${i.toString(36)}`);
    for (const round of [1, 2]) for (const text of texts) expect(roundTrip(text).back, `round ${round}`).toBe(text);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 20 }), (batch) => {
        for (const text of batch) expect(roundTrip(text).back).toBe(text);
      }),
      { numRuns: 100 },
    );
  });
});
