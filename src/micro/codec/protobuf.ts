/**
 * The Protocol Buffers codec (@bufbuild/protobuf). A message travels packed in a
 * `google.protobuf.Any`, so the bytes name their own type and one codec serves every message
 * type it was given: `encode` takes a message made with `create(Schema, …)` (it carries its
 * `$typeName`), `decode` returns the message of whichever registered type arrived.
 */
import { createRegistry, type DescMessage, fromBinary, isMessage, type Message, toBinary } from '@bufbuild/protobuf';
import { AnySchema, anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { badRequest } from '../errors.js';
import type { Codec } from './types.js';

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

export function protobufCodec(schemas: readonly DescMessage[]): Codec {
  if (schemas.length === 0) throw badRequest('protobufCodec needs at least one message schema in `schemas`');
  const registry = createRegistry(...schemas);
  return {
    name: 'protobuf',
    contentType: PROTOBUF_CONTENT_TYPE,
    encode(value) {
      if (!isMessage(value)) throw badRequest('protobuf codec encodes protobuf messages only', { id: 'codec' });
      const schema = registry.getMessage((value as Message).$typeName);
      if (schema === undefined) {
        throw badRequest(`protobuf codec has no schema for message type '${(value as Message).$typeName}'`, {
          id: 'codec',
        });
      }
      return toBinary(AnySchema, anyPack(schema, value));
    },
    decode(bytes) {
      let message: Message | undefined;
      try {
        message = anyUnpack(fromBinary(AnySchema, bytes), registry);
      } catch (cause) {
        throw badRequest('protobuf codec cannot decode the body: malformed or truncated protobuf', {
          id: 'codec',
          cause,
        });
      }
      if (message === undefined) throw badRequest('protobuf codec: the body names no known message type');
      return message;
    },
  };
}
