/**
 * serveHttp: a Gateway on node's http server. Reads the body (refusing more than
 * `maxBodyBytes` with 413 without buffering it), hands the request to the gateway, writes the
 * reply or streams SSE frames as they come; a client that disconnects mid-stream cancels the RPC.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from '../../gateway/options.js';
import type { Gateway, GatewayRequest } from '../../gateway/types.js';

export interface HttpServeOptions {
  readonly port?: number; // default: 0 (any free port)
  readonly host?: string; // default: '127.0.0.1'
  readonly maxBodyBytes?: number; // default: DEFAULT_MAX_BODY_BYTES
}

export interface HttpGatewayServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

class TooLarge extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

export async function serveHttp(gateway: Gateway, options: HttpServeOptions = {}): Promise<HttpGatewayServer> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = createServer((req, res) => {
    void (async () => {
      let body: string;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        const tooLarge = error instanceof TooLarge;
        res.writeHead(tooLarge ? 413 : 400, { 'content-type': 'application/json', connection: 'close' });
        res.end(
          JSON.stringify({
            error: { code: 'BAD_REQUEST', detail: tooLarge ? `body over ${limit} bytes` : 'unreadable body' },
          }),
        );
        return;
      }
      const request: GatewayRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headersOf(req),
        body,
      };
      const response = await gateway.handle(request);
      res.writeHead(response.status, response.headers);
      if (response.type === 'reply') {
        res.end(response.body);
        return;
      }
      res.on('close', () => {
        if (!res.writableFinished) response.cancel();
      });
      for await (const frame of response.events) {
        if (res.destroyed) break;
        res.write(frame);
      }
      res.end();
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', detail: `gateway: ${String(error)}` } }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
