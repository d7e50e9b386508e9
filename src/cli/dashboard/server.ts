/** startDashboard: the page, `/api/state` and the report files on node's http server. */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import type { Client } from '../../micro/client/types.js';
import type { Registry } from '../../micro/registry/types.js';
import { DASHBOARD_HTML } from './page.js';
import { dashboardState } from './state.js';

export interface DashboardOptions {
  readonly registry: Registry;
  readonly client: Client;
  readonly reportsDir?: string;
  readonly port?: number; // default: 0
  readonly host?: string; // default: 127.0.0.1
}

export async function startDashboard(options: DashboardOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    void (async () => {
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(DASHBOARD_HTML);
      } else if (path === '/api/state') {
        const state = await dashboardState(options.registry, options.client, options.reportsDir);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(state));
      } else if (path.startsWith('/reports/') && options.reportsDir !== undefined) {
        const name = basename(decodeURIComponent(path.slice('/reports/'.length))); // no way out of the folder
        const body = await readFile(join(options.reportsDir, name)).catch(() => undefined);
        res.writeHead(body ? 200 : 404, {
          'content-type': name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/json',
        });
        res.end(body ?? 'not found');
      } else if (path === '/favicon.ico') {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
