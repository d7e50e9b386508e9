import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShortAscii, encodeShortAscii, SHORT_ASCII_LIMIT } from './ascii.js';
import { jsonCodec } from './json.js';

describe('short ASCII fast path', () => {
  it('gives the same bytes and text as TextEncoder/TextDecoder, or steps aside', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: SHORT_ASCII_LIMIT + 8 }), (text) => {
        const bytes = encodeShortAscii(text);
        const isShortAscii = text.length <= SHORT_ASCII_LIMIT && [...text].every((c) => c.charCodeAt(0) < 0x80);
        expect(bytes === undefined).toBe(!isShortAscii);
        if (bytes !== undefined) {
          expect(bytes).toEqual(new TextEncoder().encode(text));
          expect(decodeShortAscii(bytes)).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves non-ASCII and long input to the full decoder', () => {
    expect(decodeShortAscii(new Uint8Array([0x22, 0xc3, 0xa9, 0x22]))).toBeUndefined();
    expect(decodeShortAscii(new Uint8Array(SHORT_ASCII_LIMIT + 1).fill(0x20))).toBeUndefined();
  });

  it('keeps the JSON codec strict: short invalid UTF-8 is still a BAD_REQUEST', () => {
    expect(() => jsonCodec.decode(new Uint8Array([0x22, 0xff, 0x22]))).toThrow(/not valid UTF-8 JSON/);
    expect(jsonCodec.decode(jsonCodec.encode({ name: 'Adà' }))).toEqual({ name: 'Adà' });
  });
});
