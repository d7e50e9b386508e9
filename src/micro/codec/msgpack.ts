/** The MessagePack codec (msgpackr), plain maps only: no record extension, so any peer reads it. */
import { Packr } from 'msgpackr';
import { badRequest } from '../errors.js';
import type { Codec } from './types.js';

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export const msgpackCodec: Codec = {
  name: 'msgpack',
  contentType: 'application/msgpack',
  encode(value) {
    try {
      return packr.pack(value);
    } catch (cause) {
      throw badRequest(`msgpack codec cannot encode the value: ${(cause as Error).message}`, { id: 'codec', cause });
    }
  },
  decode(bytes) {
    if (bytes.length === 0) throw badRequest('msgpack codec cannot decode an empty body', { id: 'codec' });
    try {
      // `unpack` reads one value and ignores trailing bytes; insist on exactly one.
      const values = packr.unpackMultiple(bytes) as unknown[] | undefined;
      if (values === undefined || values.length !== 1) throw new Error(`expected one value, got ${values?.length}`);
      return values[0];
    } catch (cause) {
      throw badRequest('msgpack codec cannot decode the body: malformed or truncated MessagePack', {
        id: 'codec',
        cause,
      });
    }
  },
};
