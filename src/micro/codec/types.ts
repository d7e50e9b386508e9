/**
 * Codec: turns a message into bytes and back, keyed by a content type.
 *
 * Contract. `decode(encode(v))` equals `v` for every value the codec supports. `encode` of an
 * unsupported value and `decode` of malformed, truncated or foreign bytes throw a BAD_REQUEST
 * {@link MicroError} naming the codec — never anything else, never hang. A codec is stateless
 * and may be shared by any number of calls.
 */
export interface Codec {
  /** A short name to pick it by, e.g. `json`, `msgpack`, `protobuf`. */
  readonly name: string;
  /** The content type it speaks, e.g. `application/json`. */
  readonly contentType: string;
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}
