import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './decoder.js';
import { encodeClose, encodeData, encodeOpen, type WireMessage } from './wire.js';

const MAX = 4096;

/** Feed chunks; every push must return (messages and maybe an error) without throwing. */
function feed(chunks: Uint8Array[]): { messages: WireMessage[]; error: string | undefined; buffered: number } {
  const decoder = new FrameDecoder(MAX);
  const messages: WireMessage[] = [];
  for (const chunk of chunks) {
    const step = decoder.push(chunk);
    messages.push(...step.messages);
    if (step.error !== undefined) return { messages, error: step.error, buffered: decoder.buffered };
  }
  return { messages, error: undefined, buffered: decoder.buffered };
}

/** Messages with bodies as plain arrays, comparable with toEqual. */
const plain = (messages: WireMessage[]) =>
  messages.map((m) =>
    m.type === 'data' ? { ...m, frame: { header: { ...m.frame.header }, body: [...m.frame.body] } } : m,
  );

const text = fc.oneof(fc.string({ maxLength: 16 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const header = fc.dictionary(text, text, { maxKeys: 5 });
/** A valid message: its bytes and what decoding them must give back. */
const message = fc.oneof(
  fc.nat(1000).map((channel) => ({ bytes: encodeOpen(channel), expected: { type: 'open', channel } as WireMessage })),
  fc.nat(1000).map((channel) => ({
    bytes: encodeClose(channel, new Error('bye')),
    expected: { type: 'close', channel, reason: '{"message":"bye"}' } as WireMessage,
  })),
  fc.tuple(fc.nat(2 ** 32 - 1), header, fc.uint8Array({ maxLength: 64 })).map(([channel, h, body]) => ({
    bytes: encodeData(channel, { header: h, body }, MAX),
    expected: { type: 'data', channel, frame: { header: h, body } } as WireMessage,
  })),
);

/** Random bytes behind a correct length prefix, so the inner parsing gets exercised too. */
const framed = fc.uint8Array({ maxLength: 48 }).map((payload) => {
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32BE(payload.length);
  out.set(payload, 4);
  return out;
});

/** Split bytes at the given cut points, in order. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

describe('the frame decoder under fuzzing', () => {
  it('never throws on random bytes: it yields messages, an error, or waits for more', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), framed), { maxLength: 8 }), (chunks) => {
        const result = feed(chunks);
        expect(result.error === undefined || typeof result.error === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes every valid stream, however it is chunked, and reports a truncation as waiting', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.nat(),
        (messages, cuts, trim) => {
          const bytes = Buffer.concat(messages.map((m) => m.bytes));
          const whole = feed(split(bytes, cuts));
          expect([whole.error, whole.buffered]).toEqual([undefined, 0]);
          expect(plain(whole.messages)).toEqual(plain(messages.map((m) => m.expected)));
          const truncated = bytes.subarray(0, bytes.length - 1 - (trim % bytes.length));
          const partial = feed(split(truncated, cuts));
          expect(partial.error).toBeUndefined();
          expect(partial.messages.length).toBeLessThan(messages.length);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('never throws when valid streams are corrupted by flipped bytes', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        (messages, flips) => {
          const bytes = Buffer.concat(messages.map((m) => m.bytes));
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const result = feed([bytes]);
          expect(result.messages.length).toBeLessThanOrEqual(bytes.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
