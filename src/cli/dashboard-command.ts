/** `microcosm dashboard --registry URL [--reports DIR] [--port N] [--host H]`: the dashboard, until SIGINT/SIGTERM. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BACKEND_OPTIONS, BACKEND_USAGE, backendUrl, parseStrict, prefixOf } from './backend-args.js';
import { connect } from './connect.js';
import { startDashboard } from './dashboard/server.js';
import { type CliIo, UsageError } from './io.js';

export const DASHBOARD_USAGE = `usage: microcosm dashboard --registry URL [--reports DIR] [--port N] [--host H]
  a web page over the registry (services, versions, nodes, health, recent calls and errors)
  and the runs in DIR (default: reports, when it exists)
${BACKEND_USAGE}`;

export async function dashboardCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    ...BACKEND_OPTIONS,
    reports: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  });
  if (values.help) {
    io.out(`${DASHBOARD_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const port = Number(values.port ?? 8081);
  if (!(Number.isInteger(port) && port >= 0))
    throw new UsageError(`--port: expected a port number, got "${values.port}"`);
  const reportsDir = resolve(io.cwd, values.reports ?? 'reports');
  if (values.reports !== undefined && !existsSync(reportsDir))
    throw new UsageError(`--reports: no folder ${values.reports}`);
  const registry = backendUrl('registry', values.registry);
  const conn = await connect({ registry, prefix: prefixOf(values.prefix), client: true });
  try {
    const dashboard = await startDashboard({
      registry: conn.registry!,
      client: conn.client!,
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(existsSync(reportsDir) ? { reportsDir } : {}),
    });
    io.out(`dashboard on ${dashboard.url}\n`);
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await dashboard.close();
    return 0;
  } finally {
    await conn.close();
  }
}
