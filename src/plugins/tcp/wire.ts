/**
 * The TCP wire format. One socket carries many logical connections ("channels"), so a
 * dialer's pooled socket serves every `dial` to that address. Every message is
 *
 *   u32 length (big-endian, bytes after this field) · u8 kind · varint channel · payload
 *
 * and the payload depends on the kind:
 *
 *   OPEN   (1)  nothing — the dialer opens a channel; the listener accepts it
 *   DATA   (2)  varint header count · (varint key length · key · varint value length · value)* · body
 *   CLOSE  (3)  optional UTF-8 JSON of the close reason ({code, detail, …} or {message})
 *
 * Varints are unsigned LEB128, at most 5 bytes and at most 2^32 − 1. Strings are UTF-8.
 */
import { badRequest } from '../../micro/errors.js';
import type { Frame } from '../../micro/transport/types.js';
import { utf8Length, writeUtf8 } from './strings.js';

export const KIND = { open: 1, data: 2, close: 3 } as const;

/** A decoded wire message; `data` carries one transport frame. */
export type WireMessage =
  | { readonly type: 'open'; readonly channel: number }
  | { readonly type: 'data'; readonly channel: number; readonly frame: Frame }
  | { readonly type: 'close'; readonly channel: number; readonly reason: string };

export const LENGTH_BYTES = 4;

export function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : value < 0x1000_0000 ? 4 : 5;
}

export function writeVarint(buf: Buffer, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[at++] = v;
  return at;
}

/** Encode a DATA message; throws BAD_REQUEST when it would exceed `maxFrameBytes`. */
export function encodeData(channel: number, frame: Frame, maxFrameBytes: number): Buffer {
  const keys = Object.keys(frame.header);
  const sizes: number[] = [];
  let length = 1 + varintSize(channel) + varintSize(keys.length) + frame.body.byteLength;
  for (const key of keys) {
    const k = utf8Length(key);
    const v = utf8Length(frame.header[key] as string);
    sizes.push(k, v);
    length += varintSize(k) + k + varintSize(v) + v;
  }
  if (length > maxFrameBytes) {
    throw badRequest(`tcp frame of ${length} bytes exceeds maxFrameBytes ${maxFrameBytes}`, { retryable: false });
  }
  const buf = Buffer.allocUnsafe(LENGTH_BYTES + length);
  buf.writeUInt32BE(length, 0);
  buf[LENGTH_BYTES] = KIND.data;
  let at = writeVarint(buf, LENGTH_BYTES + 1, channel);
  at = writeVarint(buf, at, keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const k = sizes[2 * i] as number;
    const v = sizes[2 * i + 1] as number;
    at = writeUtf8(buf, writeVarint(buf, at, k), key, k);
    at = writeUtf8(buf, writeVarint(buf, at, v), frame.header[key] as string, v);
  }
  buf.set(frame.body, at);
  return buf;
}

export function encodeOpen(channel: number): Buffer {
  return encodeControl(KIND.open, channel, '');
}

/** Encode a CLOSE message; the reason travels as JSON so a MicroError comes back typed. */
export function encodeClose(channel: number, reason?: Error): Buffer {
  return encodeControl(KIND.close, channel, reason === undefined ? '' : describeReason(reason));
}

function encodeControl(kind: number, channel: number, payload: string): Buffer {
  const payloadBytes = Buffer.byteLength(payload, 'utf8');
  const length = 1 + varintSize(channel) + payloadBytes;
  const buf = Buffer.allocUnsafe(LENGTH_BYTES + length);
  buf.writeUInt32BE(length, 0);
  buf[LENGTH_BYTES] = kind;
  const at = writeVarint(buf, LENGTH_BYTES + 1, channel);
  buf.write(payload, at, payloadBytes, 'utf8');
  return buf;
}

function describeReason(reason: Error): string {
  const json = (reason as { toJSON?: () => unknown }).toJSON;
  // Keep the reason well inside any frame limit: it is a diagnostic, not a payload.
  const text = JSON.stringify(typeof json === 'function' ? json.call(reason) : { message: reason.message });
  return text.length > 4096 ? JSON.stringify({ message: reason.message.slice(0, 4000) }) : text;
}
