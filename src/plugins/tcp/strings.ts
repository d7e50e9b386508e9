/**
 * Fast paths for the short ASCII strings that fill frame headers (`t`, `id`, `open`,
 * `application/json`…): measuring and writing them in JS avoids a native call per string, and
 * decoding goes through a small fixed-size intern table, so a header value seen before comes
 * back without allocating. Anything longer or non-ASCII takes Buffer's UTF-8 paths.
 */

const SHORT = 32;
const SLOTS = 1024; // a power of two

/** UTF-8 byte length of `text`. */
export function utf8Length(text: string): number {
  if (text.length > SHORT) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, 'utf8');
  return text.length;
}

/** Write `text` (whose UTF-8 length is `bytes`) at `at`; returns the offset after it. */
export function writeUtf8(buf: Buffer, at: number, text: string, bytes: number): number {
  if (bytes !== text.length || bytes > SHORT) return at + buf.write(text, at, bytes, 'utf8');
  for (let i = 0; i < bytes; i++) buf[at + i] = text.charCodeAt(i);
  return at + bytes;
}

const table: Array<string | undefined> = new Array(SLOTS).fill(undefined);

/** Decode the UTF-8 bytes [start, end) of `buf`, reusing the string from last time if equal. */
export function readUtf8(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length > SHORT) return buf.toString('utf8', start, end);
  let hash = length;
  for (let i = start; i < end; i++) {
    const byte = buf[i] as number;
    if (byte > 0x7f) return buf.toString('utf8', start, end);
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  const slot = (hash >>> 0) & (SLOTS - 1);
  const cached = table[slot];
  if (cached !== undefined && cached.length === length && sameAscii(cached, buf, start)) return cached;
  const text = buf.toString('latin1', start, end); // ASCII, checked above
  table[slot] = text;
  return text;
}

function sameAscii(text: string, buf: Buffer, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
