// The gateway's HTTP server: `import { serveHttp } from '@microcosm-ts/core/plugins/http'`.
export { type HttpGatewayServer, type HttpServeOptions, serveHttp } from './server.js';
