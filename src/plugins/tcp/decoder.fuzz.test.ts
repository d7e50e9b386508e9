import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './decoder.js';
import { encodeClose, encodeData, encodeOpen } from './wire.js';

const MAX = 4096;

/** Feed chunks; every push must return (messages and maybe an error) without throwing. */
function feed(chunks: Uint8Array[]): { count: number; error: string | undefined; buffered: number } {
  const decoder = new FrameDecoder(MAX);
  let count = 0;
  for (const chunk of chunks) {
    const step = decoder.push(chunk);
    count += step.messages.length;
    if (step.error !== undefined) return { count, error: step.error, buffered: decoder.buffered };
  }
  return { count, error: undefined, buffered: decoder.buffered };
}

const header = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 4 });
const message = fc.oneof(
  fc.nat(1000).map((channel) => encodeOpen(channel)),
  fc.nat(1000).map((channel) => encodeClose(channel, new Error('bye'))),
  fc
    .tuple(fc.nat(2 ** 32 - 1), header, fc.uint8Array({ maxLength: 64 }))
    .map(([channel, h, body]) => encodeData(channel, { header: h, body }, MAX)),
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
      { numRuns: 400 },
    );
  });

  it('decodes every valid stream, however it is chunked, and reports a truncation as waiting', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.nat(),
        (messages, cuts, trim) => {
          const bytes = Buffer.concat(messages);
          expect(feed(split(bytes, cuts))).toEqual({ count: messages.length, error: undefined, buffered: 0 });
          const truncated = bytes.subarray(0, bytes.length - 1 - (trim % bytes.length));
          const partial = feed(split(truncated, cuts));
          expect(partial.error).toBeUndefined();
          expect(partial.count).toBeLessThan(messages.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws when valid streams are corrupted by flipped bytes', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        (messages, flips) => {
          const bytes = Buffer.concat(messages);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const result = feed([bytes]);
          expect(result.count).toBeLessThanOrEqual(bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
