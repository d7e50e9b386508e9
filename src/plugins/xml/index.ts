// `@microcosm-ts/core/plugins/xml`: the XML codec (needs the optional peer fast-xml-parser).
export { XML_CONTENT_TYPE, xmlCodec } from '../../micro/codec/xml.js';
