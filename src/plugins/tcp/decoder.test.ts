import { describe, expect, it } from 'vitest';
import { decodeMessage, FrameDecoder } from './decoder.js';
import { encodeClose, encodeData, encodeOpen, type WireMessage } from './wire.js';

const MAX = 1024 * 1024;
const bytes = (text: string) => new TextEncoder().encode(text);

function decodeAll(chunks: Uint8Array[], max = MAX): { messages: WireMessage[]; error?: string; buffered: number } {
  const decoder = new FrameDecoder(max);
  const messages: WireMessage[] = [];
  for (const chunk of chunks) {
    const step = decoder.push(chunk);
    messages.push(...step.messages);
    if (step.error !== undefined) return { messages, error: step.error, buffered: decoder.buffered };
  }
  return { messages, buffered: decoder.buffered };
}

/** A comparable digest of messages: bodies as length + checksum so large ones compare fast. */
const digest = (messages: WireMessage[]) =>
  messages.map((m) =>
    m.type === 'data'
      ? {
          ...m,
          frame: {
            header: m.frame.header,
            body: [m.frame.body.length, m.frame.body.reduce((a, b) => (a * 31 + b) % 65_521, 0)],
          },
        }
      : m,
  );

const stream = Buffer.concat([
  encodeOpen(1),
  encodeData(
    1,
    { header: { method: 'Greeter.Hello', 'x-id': '42', émoji: '✓ ünïcode' }, body: bytes('{"name":"ada"}') },
    MAX,
  ),
  encodeData(1, { header: {}, body: new Uint8Array(0) }, MAX),
  encodeData(300, { header: { a: '' }, body: new Uint8Array(70_000).fill(7) }, MAX),
  encodeClose(1, new Error('done')),
]);

describe('the frame decoder', () => {
  it('round-trips open, data (headers, unicode, empty and large bodies) and close messages', () => {
    const { messages, error, buffered } = decodeAll([stream]);
    expect(error).toBeUndefined();
    expect(buffered).toBe(0);
    expect(messages.map((m) => m.type)).toEqual(['open', 'data', 'data', 'data', 'close']);
    const [, hello, empty, large, close] = messages;
    expect(hello).toMatchObject({
      channel: 1,
      frame: { header: { method: 'Greeter.Hello', 'x-id': '42', émoji: '✓ ünïcode' } },
    });
    expect(Buffer.from(hello?.type === 'data' ? hello.frame.body : []).toString()).toBe('{"name":"ada"}');
    expect(empty?.type === 'data' && empty.frame.body.length).toBe(0);
    expect(large?.type === 'data' && [large.channel, large.frame.body.length, large.frame.body[69_999]]).toEqual([
      300, 70_000, 7,
    ]);
    expect(close).toEqual({ type: 'close', channel: 1, reason: '{"message":"done"}' });
  });

  it('gives the same messages however the stream is split across chunks', () => {
    const whole = digest(decodeAll([stream]).messages);
    for (const cut of [1, 3, 4, 5, 17, 100, 4096, stream.length - 1]) {
      expect(digest(decodeAll([stream.subarray(0, cut), stream.subarray(cut)]).messages)).toEqual(whole);
    }
    const byteByByte = [...stream.subarray(0, 400)].map((b) => Uint8Array.of(b));
    expect(digest(decodeAll(byteByByte).messages)).toEqual(whole.slice(0, 3));
    expect(decodeAll(byteByByte).buffered).toBeGreaterThan(0);
  });

  it('decodes many messages coalesced into one chunk', () => {
    const many = Buffer.concat(
      Array.from({ length: 500 }, (_, i) => encodeData(i, { header: { i: String(i) }, body: bytes(`b${i}`) }, MAX)),
    );
    const { messages } = decodeAll([many]);
    expect(messages).toHaveLength(500);
    expect(messages[499]).toMatchObject({ channel: 499, frame: { header: { i: '499' } } });
  });

  it('rejects an oversized length as soon as its prefix arrives, before buffering the body', () => {
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(MAX + 1);
    expect(decodeAll([prefix])).toMatchObject({ error: `frame of ${MAX + 1} bytes exceeds maxFrameBytes ${MAX}` });
    expect(decodeAll([prefix.subarray(0, 2), prefix.subarray(2)]).error).toMatch(/exceeds maxFrameBytes/);
  });

  it('names what is wrong with a corrupt frame and stays failed afterwards', () => {
    const unknownKind = Buffer.from([0, 0, 0, 2, 9, 1]);
    expect(decodeMessage(unknownKind, 0, MAX)).toEqual({ type: 'error', reason: 'unknown frame kind 9' });
    const headerOverrun = Buffer.from([0, 0, 0, 5, 2, 1, 1, 50, 0x61]);
    expect(decodeMessage(headerOverrun, 0, MAX)).toEqual({ type: 'error', reason: 'header key 0 overruns the frame' });
    const badVarint = Buffer.from([0, 0, 0, 7, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(decodeMessage(badVarint, 0, MAX)).toEqual({ type: 'error', reason: 'bad channel varint' });
    const tooShort = Buffer.from([0, 0, 0, 1, 2]);
    expect(decodeMessage(tooShort, 0, MAX)).toEqual({ type: 'error', reason: 'frame of 1 bytes is shorter than 2' });

    const decoder = new FrameDecoder(MAX);
    expect(decoder.push(unknownKind).error).toBeDefined();
    expect(decoder.push(encodeOpen(1))).toEqual({ messages: [], error: 'unknown frame kind 9' });
  });

  it('keeps a header key named __proto__ as a plain property', () => {
    const step = decodeMessage(
      encodeData(1, { header: JSON.parse('{"__proto__":"x"}'), body: bytes('') }, MAX),
      0,
      MAX,
    );
    const header = step.type === 'message' && step.message.type === 'data' ? step.message.frame.header : {};
    expect(Object.getPrototypeOf(header)).toBe(Object.prototype);
    expect(Object.entries(header)).toEqual([['__proto__', 'x']]);
  });

  it('refuses to encode a frame bigger than maxFrameBytes', () => {
    expect(() => encodeData(1, { header: {}, body: new Uint8Array(100) }, 64)).toThrow(/exceeds maxFrameBytes 64/);
  });
});
