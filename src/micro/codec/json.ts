/** The JSON codec: UTF-8 JSON text; an empty body stands for `undefined` (a void reply). */
import { badRequest } from '../errors.js';
import { decodeShortAscii, encodeShortAscii } from './ascii.js';
import type { Codec } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const jsonCodec: Codec = {
  name: 'json',
  contentType: 'application/json',
  encode(value) {
    if (value === undefined) return new Uint8Array(0);
    try {
      const text: string | undefined = JSON.stringify(value); // undefined for a function or symbol
      return (text === undefined ? undefined : encodeShortAscii(text)) ?? encoder.encode(text);
    } catch (cause) {
      throw badRequest(`json codec cannot encode the value: ${(cause as Error).message}`, { id: 'codec', cause });
    }
  },
  decode(bytes) {
    if (bytes.length === 0) return undefined;
    try {
      return JSON.parse(decodeShortAscii(bytes) ?? decoder.decode(bytes));
    } catch (cause) {
      throw badRequest('json codec cannot decode the body: not valid UTF-8 JSON', { id: 'codec', cause });
    }
  },
};
