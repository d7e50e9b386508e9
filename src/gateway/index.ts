// The API gateway: `import { createGateway } from '@microcosm-ts/core'`; node's HTTP server for it is
// `@microcosm-ts/core/plugins/http`, a simulated one `serveGateway`/`httpClient` in `/sim`.
export { createGateway } from './gateway.js';
export * from './options.js';
export { type Admission, type RateLimit, type TokenBucket, tokenBucket } from './rate-limit.js';
export { parseSse, sseFrame } from './sse.js';
export { httpStatusOf } from './status.js';
export type * from './types.js';
