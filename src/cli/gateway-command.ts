/**
 * `microcosm gateway --registry URL [--port N] [--host H] [--namespace NS] [--routes FILE.json]
 * [--rate N [--burst N]]`: an HTTP → RPC gateway on a real registry and TCP, until SIGINT/SIGTERM.
 * A routes file is a JSON array of `{ method?, path, service, endpoint, stream?, rateLimit? }`.
 */
import { readFileSync } from 'node:fs';
import { createGateway } from '../gateway/gateway.js';
import type { Route } from '../gateway/options.js';
import { liveRuntime } from '../micro/live.js';
import { BACKEND_OPTIONS, BACKEND_USAGE, backendUrl, parseStrict, prefixOf } from './backend-args.js';
import { connect } from './connect.js';
import { type CliIo, UsageError } from './io.js';

export const GATEWAY_USAGE = `usage: microcosm gateway --registry URL [options]
  --port N          listen port (default 8080; 0 = any free port)
  --host H          listen address (default 127.0.0.1)
  --namespace NS    POST /{service}/{Handler.Method} calls NS.{service}
  --routes FILE     a JSON array of { method?, path, service, endpoint, stream?, rateLimit? }
  --rate N          requests per second per route (and per service of the generic path)
  --burst N         bucket size (default: --rate)
${BACKEND_USAGE}`;

const num = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isFinite(value) && value >= 0)) throw new UsageError(`--${name}: expected a number, got "${text}"`);
  return value;
};

export async function gatewayCommand(argv: readonly string[], io: CliIo, stop?: Promise<void>): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    ...BACKEND_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    namespace: { type: 'string' },
    routes: { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
  });
  if (values.help) {
    io.out(`${GATEWAY_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const registry = backendUrl('registry', values.registry);
  const port = num('port', values.port) ?? 8080;
  const rate = num('rate', values.rate);
  const burst = num('burst', values.burst);
  let routes: Route[] = [];
  if (values.routes !== undefined) {
    try {
      routes = JSON.parse(readFileSync(values.routes, 'utf8')) as Route[];
    } catch (error) {
      throw new UsageError(`--routes ${values.routes}: ${(error as Error).message}`);
    }
    if (!Array.isArray(routes)) throw new UsageError(`--routes ${values.routes}: expected a JSON array of routes`);
  }
  const options = {
    routes,
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    ...(rate === undefined ? {} : { rateLimit: { perSecond: rate, ...(burst === undefined ? {} : { burst }) } }),
  };
  const conn = await connect({ registry, prefix: prefixOf(values.prefix), client: true });
  try {
    let gateway: ReturnType<typeof createGateway>;
    try {
      gateway = createGateway({ client: conn.client!, runtime: liveRuntime, ...options });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { serveHttp } = await import('../plugins/http/index.js');
    const server = await serveHttp(gateway, { port, host: values.host ?? '127.0.0.1' });
    io.out(values.json ? `${JSON.stringify({ url: server.url })}\n` : `gateway listening on ${server.url}\n`);
    await (stop ??
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }));
    await server.close();
    return 0;
  } finally {
    await conn.close();
  }
}
