// The TCP transport: `import { tcpTransport } from '@microcosm-ts/core/plugins/tcp'`.
export { formatAddress, parseAddress } from './address.js';
export { decodeMessage, FrameDecoder } from './decoder.js';
export * from './options.js';
export { serviceOf } from './tls.js';
export type { PeerPolicy, Pem, TcpTlsOptions, TlsMaterial, TlsSource } from './tls-options.js';
export { type TcpTransport, tcpTransport } from './transport.js';
export { encodeClose, encodeData, encodeOpen, type WireMessage } from './wire.js';
