/**
 * Decoding the wire format of `wire.ts`, one message at a time ({@link decodeMessage}) and as a
 * stream of socket chunks that split and coalesce messages arbitrarily ({@link FrameDecoder}).
 *
 * Contract: any input yields messages, "need more bytes", or an error naming what is wrong —
 * never an exception and never a loop that does not consume input. An oversized length is
 * rejected as soon as its 4 bytes arrive, before any of its body is buffered.
 */
import { readUtf8 } from './strings.js';
import { KIND, LENGTH_BYTES, type WireMessage } from './wire.js';

/** The outcome of decoding at one offset. `needed` counts bytes from that offset. */
export type DecodeStep =
  | { readonly type: 'message'; readonly message: WireMessage; readonly next: number }
  | { readonly type: 'incomplete'; readonly needed: number }
  | { readonly type: 'error'; readonly reason: string };

const MIN_MESSAGE_BYTES = 2; // kind + a one-byte channel varint

export function decodeMessage(bytes: Uint8Array, offset: number, maxFrameBytes: number): DecodeStep {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const available = data.length - offset;
  if (available < LENGTH_BYTES) return { type: 'incomplete', needed: LENGTH_BYTES };
  const length = readUint32(data, offset);
  if (length > maxFrameBytes) return error(`frame of ${length} bytes exceeds maxFrameBytes ${maxFrameBytes}`);
  if (length < MIN_MESSAGE_BYTES) return error(`frame of ${length} bytes is shorter than ${MIN_MESSAGE_BYTES}`);
  if (available < LENGTH_BYTES + length) return { type: 'incomplete', needed: LENGTH_BYTES + length };
  const end = offset + LENGTH_BYTES + length;
  const kind = data[offset + LENGTH_BYTES];
  const reader = new Reader(data, offset + LENGTH_BYTES + 1, end);
  const channel = reader.varint();
  if (channel < 0) return error('bad channel varint');
  switch (kind) {
    case KIND.open:
      if (reader.at !== end) return error(`open frame has ${end - reader.at} trailing bytes`);
      return { type: 'message', message: { type: 'open', channel }, next: end };
    case KIND.close:
      return {
        type: 'message',
        message: { type: 'close', channel, reason: reader.string(end - reader.at) },
        next: end,
      };
    case KIND.data: {
      const header = readHeader(reader);
      if (typeof header === 'string') return error(header);
      const body = data.subarray(reader.at, end);
      return { type: 'message', message: { type: 'data', channel, frame: { header, body } }, next: end };
    }
    default:
      return error(`unknown frame kind ${String(kind)}`);
  }
}

/** Accumulates socket chunks and yields whole messages; after an error it stays failed. */
export class FrameDecoder {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private needed = LENGTH_BYTES;
  private failure: string | undefined;

  constructor(private readonly maxFrameBytes: number) {}

  /** Decode what `chunk` completes; `messages` is empty when more bytes are needed. */
  push(chunk: Uint8Array): { readonly messages: WireMessage[]; readonly error?: string } {
    const messages: WireMessage[] = [];
    if (this.failure !== undefined) return { messages, error: this.failure };
    let data = chunk;
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.needed) return { messages };
      data = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    while (offset < data.length) {
      const step = decodeMessage(data, offset, this.maxFrameBytes);
      if (step.type === 'error') {
        this.failure = step.reason;
        return { messages, error: step.reason };
      }
      if (step.type === 'incomplete') {
        this.pending = [data.subarray(offset)];
        this.pendingBytes = data.length - offset;
        this.needed = step.needed;
        break;
      }
      messages.push(step.message);
      offset = step.next;
    }
    return { messages };
  }

  /** Bytes held back waiting for the rest of a message. */
  get buffered(): number {
    return this.pendingBytes;
  }
}

function readHeader(reader: Reader): Record<string, string> | string {
  const count = reader.varint();
  if (count < 0) return 'bad header count varint';
  if (count * 2 > reader.remaining) return `header count ${count} overruns the frame`;
  const header: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const keyLength = reader.varint();
    if (keyLength < 0 || keyLength > reader.remaining) return `header key ${i} overruns the frame`;
    const key = reader.string(keyLength);
    const valueLength = reader.varint();
    if (valueLength < 0 || valueLength > reader.remaining) return `header value ${i} overruns the frame`;
    const value = reader.string(valueLength);
    // A key named __proto__ must stay a plain own property, not rewire the prototype.
    if (key === '__proto__') Object.defineProperty(header, key, { value, enumerable: true, writable: true });
    else header[key] = value;
  }
  return header;
}

/** A bounds-checked cursor over [at, end). Failed reads return −1 and never move past `end`. */
class Reader {
  constructor(
    private readonly data: Buffer,
    public at: number,
    private readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.at;
  }

  varint(): number {
    let value = 0;
    for (let shift = 0, i = 0; i < 5; i++, shift += 7) {
      if (this.at >= this.end) return -1;
      const byte = this.data[this.at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value <= 0xffff_ffff ? value : -1;
    }
    return -1;
  }

  string(length: number): string {
    const start = this.at;
    this.at += length;
    return readUtf8(this.data, start, this.at);
  }
}

function readUint32(data: Uint8Array, at: number): number {
  return (
    ((data[at] as number) * 0x100_0000 +
      (((data[at + 1] as number) << 16) | ((data[at + 2] as number) << 8) | (data[at + 3] as number))) >>>
    0
  );
}

function error(reason: string): DecodeStep {
  return { type: 'error', reason };
}
