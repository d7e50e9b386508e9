export { Codecs, DEFAULT_CONTENT_TYPE } from './codecs.js';
export { jsonCodec } from './json.js';
export { msgpackCodec } from './msgpack.js';
export { PROTOBUF_CONTENT_TYPE, protobufCodec } from './protobuf.js';
export type { Codec } from './types.js';
