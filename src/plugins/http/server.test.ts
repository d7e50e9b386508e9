import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/gateway.js';
import { parseSse } from '../../gateway/sse.js';
import { createService } from '../../micro/service/service.js';
import type { MicroService } from '../../micro/service/types.js';
import { type HttpGatewayServer, serveHttp } from './server.js';

const open: { services: MicroService[]; servers: HttpGatewayServer[] } = { services: [], servers: [] };
afterEach(async () => {
  await Promise.all(open.servers.splice(0).map((s) => s.close()));
  await Promise.all(open.services.splice(0).map((s) => s.stop()));
});

async function start() {
  const greeter = createService({ name: 'greeter' }).handle('Greeter', {
    Hello: (request: { name: string }) => ({ message: `Hello ${request.name}` }),
    async *Count(request: { to: number }) {
      for (let i = 1; i <= request.to; i++) yield { i };
    },
  });
  const front = createService({ name: 'gateway' });
  open.services.push(greeter, front);
  await greeter.start();
  const gateway = createGateway({
    client: front.client,
    runtime: front.runtime,
    routes: [
      { path: '/count', service: 'greeter', endpoint: 'Greeter.Count', stream: true, rateLimit: { perSecond: 1 } },
    ],
  });
  const server = await serveHttp(gateway, { maxBodyBytes: 1024 });
  open.servers.push(server);
  return server;
}

describe('serveHttp', () => {
  it('answers JSON over real HTTP, with the gateway statuses', async () => {
    const { url } = await start();
    const ok = await fetch(`${url}/greeter/Greeter.Hello`, { method: 'POST', body: JSON.stringify({ name: 'Ada' }) });
    expect([ok.status, await ok.json()]).toEqual([200, { message: 'Hello Ada' }]);
    const missing = await fetch(`${url}/greeter/Greeter.Nope`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('refuses a body over the limit with 413 without reading it all', async () => {
    const { url } = await start();
    const big = await fetch(`${url}/greeter/Greeter.Hello`, { method: 'POST', body: 'x'.repeat(4096) });
    expect(big.status).toBe(413);
  });

  it('streams SSE frames and rate-limits the stream route', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/count`, { method: 'POST', body: JSON.stringify({ to: 2 }) });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(parseSse(await response.text()).map((e) => e.data)).toEqual([{ i: 1 }, { i: 2 }, null]);
    const limited = await fetch(`${url}/count`, { method: 'POST', body: '{"to":1}' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
  });
});
