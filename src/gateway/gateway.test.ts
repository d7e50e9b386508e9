import { afterEach, describe, expect, it } from 'vitest';
import { memoryAuth } from '../micro/auth/memory.js';
import { authHandlerWrapper } from '../micro/auth/wrappers.js';
import { badRequest } from '../micro/errors.js';
import { liveRuntime } from '../micro/live.js';
import type { CallContext } from '../micro/metadata/context.js';
import { createService } from '../micro/service/service.js';
import type { MicroService } from '../micro/service/types.js';
import { createGateway } from './gateway.js';
import type { GatewayOptions } from './options.js';
import { parseSse } from './sse.js';
import type { GatewayResponse } from './types.js';

const services: MicroService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

let now = 0;
const clock = { now: () => now };

async function setup(options: Partial<GatewayOptions> = {}) {
  const greeter = createService({ name: 'shop.greeter' }).handle('Greeter', {
    Hello: (request: { name: string }, context: CallContext) => ({
      message: `Hello ${request.name}`,
      ...(context.metadata.trace === undefined ? {} : { trace: context.metadata.trace }),
    }),
    Fail: () => {
      throw badRequest('no names with digits');
    },
    async *Count(request: { to: number }) {
      for (let i = 1; i <= request.to; i++) yield { i };
    },
  });
  const front = createService({ name: 'gateway' });
  services.push(greeter, front);
  await greeter.start();
  return createGateway({ client: front.client, runtime: { ...liveRuntime, clock }, namespace: 'shop', ...options });
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  path,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const json = (response: GatewayResponse) => (response.type === 'reply' ? JSON.parse(response.body) : undefined);

describe('the gateway', () => {
  it('calls POST /{service}/{Handler.Method} in its namespace and passes micro-* headers as metadata', async () => {
    const gateway = await setup();
    const response = await gateway.handle(post('/greeter/Greeter.Hello', { name: 'Ada' }, { 'micro-trace': 't1' }));
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ message: 'Hello Ada', trace: 't1' });
  });

  it('maps errors to statuses: handler errors, unknown services and endpoints, bad bodies, unknown paths', async () => {
    const gateway = await setup();
    const fail = await gateway.handle(post('/greeter/Greeter.Fail', {}));
    expect([fail.status, json(fail).error.code]).toEqual([400, 'BAD_REQUEST']);
    expect((await gateway.handle(post('/nobody/Greeter.Hello', {}))).status).toBe(404);
    expect((await gateway.handle(post('/greeter/Greeter.Nope', {}))).status).toBe(404);
    expect((await gateway.handle(post('/greeter/Greeter.Hello', '{nope'))).status).toBe(400);
    expect((await gateway.handle({ ...post('/greeter/Greeter.Hello', {}), method: 'GET' })).status).toBe(405);
    expect((await gateway.handle(post('/', {}))).status).toBe(404);
    expect(gateway.stats().byStatus).toEqual({ 400: 2, 404: 3, 405: 1 });
  });

  it('serves configured routes, and refuses the second duplicate at construction', async () => {
    const gateway = await setup({
      routes: [{ method: 'PUT', path: '/hello', service: 'shop.greeter', endpoint: 'Greeter.Hello' }],
      rpcPaths: false,
    });
    expect(json(await gateway.handle({ ...post('/hello', { name: 'Bo' }), method: 'PUT' }))).toEqual({
      message: 'Hello Bo',
    });
    const wrongMethod = await gateway.handle(post('/hello', { name: 'Bo' }));
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'PUT']);
    expect((await gateway.handle(post('/greeter/Greeter.Hello', {}))).status).toBe(404);
    const route = { path: '/a', service: 's', endpoint: 'A.B' };
    await expect(setup({ routes: [route, route] })).rejects.toThrow('"POST /a" is routed twice');
    await expect(setup({ routes: [{ ...route, endpoint: 'nodot' }] })).rejects.toThrow('routes[0].endpoint');
  });

  it('answers 429 with retry-after once a route bucket is empty, and admits again as the clock refills it', async () => {
    now = 0;
    const gateway = await setup({ rateLimit: { perSecond: 2, burst: 3 } });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await gateway.handle(post('/greeter/Greeter.Hello', { name: 'x' }))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await gateway.handle(post('/greeter/Greeter.Hello', {}));
    expect(limited.headers['retry-after']).toBe('1');
    now += 500; // one token back at 2/s
    expect((await gateway.handle(post('/greeter/Greeter.Hello', { name: 'y' }))).status).toBe(200);
    expect((await gateway.handle(post('/greeter/Greeter.Hello', { name: 'z' }))).status).toBe(429);
    expect(gateway.stats().rateLimited).toBe(4);
  });

  it('streams a server stream as Server-Sent Events, and an error before the first reply keeps its status', async () => {
    const gateway = await setup({
      routes: [{ path: '/count', service: 'shop.greeter', endpoint: 'Greeter.Count', stream: true }],
    });
    const response = await gateway.handle(post('/count', { to: 3 }));
    expect(response.type).toBe('stream');
    let text = '';
    if (response.type === 'stream') for await (const frame of response.events) text += frame;
    expect(parseSse(text)).toEqual([
      { event: 'message', data: { i: 1 } },
      { event: 'message', data: { i: 2 } },
      { event: 'message', data: { i: 3 } },
      { event: 'end', data: null },
    ]);
    const missing = await gateway.handle(post('/nobody/X.Y', {}, { accept: 'text/event-stream' }));
    expect(missing.status).toBe(404);
  });

  it('passes the bearer token through, so the callee auth wrapper decides', async () => {
    const auth = memoryAuth({ secret: 'gateway-test-secret-of-enough-bytes-0123456789' });
    await auth.grant({
      id: 'r1',
      scope: 'user',
      resource: { service: 'vault', endpoint: '*' },
      access: 'grant',
      priority: 1,
    });
    const account = await auth.generate('ada', { scopes: ['user'] });
    const { accessToken } = await auth.token({ id: account.id, secret: account.secret });
    const vault = createService({ name: 'vault', handlerWrappers: [authHandlerWrapper(auth)] }).handle('Vault', {
      Open: () => ({ open: true }),
    });
    services.push(vault);
    await vault.start();
    const gateway = await setup({ namespace: '' });
    expect((await gateway.handle(post('/vault/Vault.Open', {}))).status).toBe(401);
    const ok = await gateway.handle(post('/vault/Vault.Open', {}, { authorization: `Bearer ${accessToken}` }));
    expect([ok.status, json(ok)]).toEqual([200, { open: true }]);
  });
});
