import { create } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMicroError } from '../errors.js';
import { Codecs } from './codecs.js';
import { HelloReplySchema, HelloRequestSchema } from './greeter-proto.js';
import { jsonCodec } from './json.js';
import { msgpackCodec } from './msgpack.js';
import { protobufCodec } from './protobuf.js';
import type { Codec } from './types.js';

const proto = protobufCodec([HelloRequestSchema, HelloReplySchema]);
const all: Codec[] = [jsonCodec, msgpackCodec, proto];

/** Decoding either succeeds or throws a BAD_REQUEST MicroError; anything else fails the property. */
function decodesOrRejectsCleanly(codec: Codec, bytes: Uint8Array): boolean {
  try {
    codec.decode(bytes);
    return true;
  } catch (error) {
    return isMicroError(error) && error.code === 'BAD_REQUEST';
  }
}

describe('codecs', () => {
  it('round-trip JSON and MessagePack values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected = JSON.parse(JSON.stringify(value));
        expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(expected);
        // msgpackr renames a "__proto__" key (its prototype-pollution guard): see the test below.
        if (!JSON.stringify(value).includes('"__proto__"'))
          expect(msgpackCodec.decode(msgpackCodec.encode(value))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('never let a "__proto__" key reach an object prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}');
    for (const codec of [jsonCodec, msgpackCodec]) {
      const back = codec.decode(codec.encode(hostile)) as Record<string, unknown>;
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('round-trip protobuf messages of every registered type', () => {
    const reply = create(HelloReplySchema, { message: 'hi ada', count: 3 });
    const back = proto.decode(proto.encode(reply)) as { $typeName: string; message: string; count: number };
    expect([back.$typeName, back.message, back.count]).toEqual(['greeter.HelloReply', 'hi ada', 3]);
    const request = proto.decode(proto.encode(create(HelloRequestSchema, { name: 'ada' }))) as { name: string };
    expect(request.name).toBe('ada');
  });

  it('refuse to encode what they cannot represent, naming the codec', () => {
    expect(() => proto.encode({ name: 'plain object' })).toThrow(/protobuf codec encodes protobuf messages only/);
    expect(() => jsonCodec.encode(10n)).toThrow(/json codec cannot encode/);
  });

  it('reject random bytes with BAD_REQUEST, never a crash or a hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) =>
        all.every((codec) => decodesOrRejectsCleanly(codec, bytes)),
      ),
      { numRuns: 500 },
    );
  });

  it('reject every truncation of a valid body with BAD_REQUEST or decode a prefix value', () => {
    const samples: Array<[Codec, unknown]> = [
      [jsonCodec, { name: 'ada', tags: ['x', 'y'], n: 12.5 }],
      [msgpackCodec, { name: 'ada', tags: ['x', 'y'], n: 12.5 }],
      [proto, create(HelloReplySchema, { message: 'hello world', count: 42 })],
    ];
    for (const [codec, value] of samples) {
      const bytes = codec.encode(value);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) =>
          decodesOrRejectsCleanly(codec, bytes.subarray(0, cut)),
        ),
      );
      // A strict prefix of a JSON or MessagePack document is never the whole document.
      if (codec !== proto) expect(() => codec.decode(bytes.subarray(0, bytes.length - 1))).toThrow(/cannot decode/);
    }
  });

  it('are chosen by content type, and an unknown one is a clear BAD_REQUEST', () => {
    const codecs = new Codecs();
    expect(codecs.forContentType('application/msgpack; charset=binary').name).toBe('msgpack');
    expect(() => codecs.forContentType('text/x-yaml')).toThrow(/unknown content type 'text\/x-yaml'/);
  });

  it('accept custom codecs registered by name', () => {
    const upper: Codec = {
      name: 'upper',
      contentType: 'text/x-upper',
      encode: (value) => new TextEncoder().encode(String(value).toUpperCase()),
      decode: (bytes) => new TextDecoder().decode(bytes),
    };
    const codecs = new Codecs().register(upper);
    expect(codecs.byName('upper').decode(codecs.forContentType('text/x-upper').encode('hi'))).toBe('HI');
    expect(() => codecs.byName('yaml')).toThrow(/unknown codec 'yaml'/);
  });
});
