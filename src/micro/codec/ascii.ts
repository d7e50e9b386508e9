/**
 * Short ASCII text to bytes and back without TextEncoder/TextDecoder: most RPC payloads are a few
 * dozen ASCII characters, where the encoding API's fixed cost per call outweighs the work. Both
 * return undefined when the input is not short ASCII, and the caller falls back to the full API.
 */

/** Longer inputs go to the native encoder/decoder, which win on bulk. */
export const SHORT_ASCII_LIMIT = 128;

export function encodeShortAscii(text: string): Uint8Array | undefined {
  const length = text.length;
  if (length > SHORT_ASCII_LIMIT) return undefined;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return undefined;
    bytes[i] = code;
  }
  return bytes;
}

export function decodeShortAscii(bytes: Uint8Array): string | undefined {
  const length = bytes.length;
  if (length > SHORT_ASCII_LIMIT) return undefined;
  let text = '';
  for (let i = 0; i < length; i++) {
    const byte = bytes[i] as number;
    if (byte > 0x7f) return undefined;
    text += String.fromCharCode(byte);
  }
  return text;
}
