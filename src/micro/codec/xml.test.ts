import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Codecs } from './codecs.js';
import { xmlCodec } from './xml.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.string(),
    fc.uint8Array({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('xml codec', () => {
  it('round-trips every supported value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(xmlCodec.decode(xmlCodec.encode(v))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a readable typed document, escaping what XML needs', () => {
    expect(text(xmlCodec.encode({ name: 'Ada & <Bob>', tags: ['x'], n: 1 }))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><obj><e k="name"><str>Ada &amp; &lt;Bob&gt;</str></e>' +
        '<e k="tags"><arr><str>x</str></arr></e><e k="n"><num>1</num></e></obj>',
    );
  });

  it('reads documents with whitespace between elements', () => {
    const doc = '<obj>\n  <e k="a"> <num> 2 </num> </e>\n  <e k="s"><str>  kept  </str></e>\n</obj>';
    expect(xmlCodec.decode(bytes(doc))).toEqual({ a: 2, s: '  kept  ' });
  });

  it('refuses malformed or foreign XML with BAD_REQUEST naming the codec', () => {
    for (const doc of [
      '<obj><e k="a"><num>1</num>',
      '<html/>',
      '<num>one</num>',
      '<a/><b/>',
      'not xml',
      '<bool>yes</bool>',
    ]) {
      expect(() => xmlCodec.decode(bytes(doc)), doc).toThrow(/xml codec cannot decode/);
    }
    expect(() => xmlCodec.decode(new Uint8Array([0xff, 0xfe]))).toThrow('not valid UTF-8');
  });

  it('refuses values it cannot represent, naming where', () => {
    expect(() => xmlCodec.encode({ a: [1, Number.NaN] })).toThrow('xml codec cannot encode the number NaN at a[1]');
    expect(() => xmlCodec.encode({ when: new Date(0) })).toThrow('cannot encode a Date at when');
  });

  it('registers beside JSON and MessagePack and answers to its content type', () => {
    const codecs = new Codecs().register(xmlCodec);
    expect(codecs.forContentType('application/xml; charset=utf-8')).toBe(xmlCodec);
  });
});
