import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createSim, DeterminismViolationError, type Sim } from '../sim/index.js';
import { httpDependency } from './http.js';

let sim: Sim;
afterEach(() => sim?.dispose());

/** A tiny "tax API": a quote that takes 5 ms on the provider, and a counter of the requests it saw. */
function taxHandlers() {
  const seen: string[] = [];
  return {
    seen,
    handlers: [
      http.get('http://tax-api/v1/rate/:country', async ({ params }) => {
        seen.push(String(params.country));
        await delay(5);
        return HttpResponse.json({ country: params.country, rate: params.country === 'de' ? 0.19 : 0.2 });
      }),
      http.post('http://tax-api/v1/echo', async ({ request }) =>
        HttpResponse.text(`${request.headers.get('x-id')}:${await request.text()}`, { status: 201 }),
      ),
    ],
  };
}

async function taxWorld(seed = 1, timeoutMs = 300) {
  sim = createSim({ seed });
  const tax = taxHandlers();
  const api = await httpDependency(sim, 'tax-api', tax.handlers, { timeoutMs });
  sim.node('shop', () => {});
  sim.net.latency('*', '*', { type: 'constant', ms: 10 });
  await sim.runFor(0);
  const get = (path: string) => sim.exec('shop', () => fetch(`http://tax-api${path}`));
  return { api, seen: tax.seen, get };
}

const failureOf = async (promise: Promise<unknown>) => {
  const error = (await promise.catch((e: unknown) => e)) as TypeError & { cause?: { code?: string; reason?: string } };
  return { name: error.name, message: error.message, code: error.cause?.code, reason: error.cause?.reason };
};

describe('httpDependency', () => {
  it("answers a service's fetch through the simulated network, in virtual time", async () => {
    const { get } = await taxWorld();
    const started = sim.now;
    const response = await get('/v1/rate/de');
    expect(sim.now - started).toBe(10 + 5 + 10); // there, the handler's delay, back
    expect(response.status).toBe(200);
    expect(await sim.settle(response.json())).toEqual({ country: 'de', rate: 0.19 });
    const sends = sim.trace.flatMap((e) => (e.type === 'send' ? [[e.from, e.to]] : []));
    expect(sends).toEqual([
      ['shop', 'http:tax-api'],
      ['http:tax-api', 'shop'],
    ]);
  });

  it('carries method, headers, body and status both ways', async () => {
    const { api } = await taxWorld();
    const response = await sim.exec('shop', (ctx) =>
      api.fetch(ctx)(`${api.url}/v1/echo`, { method: 'POST', headers: { 'x-id': 'a1' }, body: 'hello' }),
    );
    expect([response.status, await sim.settle(response.text())]).toEqual([201, 'a1:hello']);
  });

  it('times out in virtual time across a partition, after the provider may have acted', async () => {
    const { seen, get } = await taxWorld();
    sim.net.partitionOneWay(['http:tax-api'], ['shop']); // the request arrives, the response is lost
    const started = sim.now;
    expect(await failureOf(get('/v1/rate/fr'))).toMatchObject({ message: 'fetch failed', code: 'ETIMEDOUT' });
    expect(sim.now - started).toBeGreaterThanOrEqual(300);
    expect(seen).toEqual(['fr']);
    expect(sim.trace.some((e) => e.type === 'drop' && e.from === 'http:tax-api')).toBe(true);
  });

  it('is unreachable while crashed and answers again after a restart, its state intact', async () => {
    const { seen, get } = await taxWorld();
    await get('/v1/rate/de');
    sim.crash('http:tax-api');
    expect(await failureOf(get('/v1/rate/fr'))).toMatchObject({ code: 'ETIMEDOUT' });
    sim.restart('http:tax-api');
    expect((await get('/v1/rate/it')).status).toBe(200);
    expect(seen).toEqual(['de', 'it']);
  });

  it('fails a request no handler answers, naming it', async () => {
    const { get } = await taxWorld();
    expect(await failureOf(get('/v2/nothing'))).toMatchObject({ message: 'fetch failed', reason: 'no-handler' });
  });

  it('still refuses a fetch to any other host', async () => {
    await taxWorld();
    const error = await sim.exec('shop', () => fetch('http://example.com/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeterminismViolationError);
  });

  it('rejects with the reason of an aborted signal', async () => {
    const { api } = await taxWorld();
    const controller = new AbortController();
    const pending = sim.exec('shop', () => fetch(`${api.url}/v1/rate/de`, { signal: controller.signal }));
    sim.schedule(sim.now + 3, () => controller.abort(new Error('gave up')));
    expect(((await pending.catch((e: unknown) => e)) as Error).message).toBe('gave up');
  });

  it('replays: same seed, same trace hash, under loss', async () => {
    const hashes: string[] = [];
    for (const seed of [7, 7, 8]) {
      const { get } = await taxWorld(seed, 50);
      sim.net.loss('*', '*', 0.3);
      for (const country of ['de', 'fr', 'it', 'es', 'nl', 'pl']) await get(`/v1/rate/${country}`).catch(() => {});
      hashes.push(sim.traceHash());
      sim.dispose();
    }
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[0]).not.toBe(hashes[2]);
  });

  it('shows a handler the request fetch itself would build, whatever form the call takes', async () => {
    sim = createSim({ seed: 1 });
    const seen: string[] = [];
    const view = async (request: Request) =>
      JSON.stringify([request.method, request.url, [...request.headers], await request.clone().text(), await request.text()]);
    const api = await httpDependency(sim, 'echo-api', [
      http.all('http://echo-api/*', async ({ request }) => {
        seen.push(await view(request));
        return new HttpResponse(null, { status: 204 });
      }),
    ]);
    sim.node('shop', () => {});
    await sim.runFor(0);
    const calls: [string, RequestInit | undefined][] = [
      ['http://echo-api/a?b=1', undefined],
      ['http://echo-api/a', { method: 'post', body: 'héllo' }],
      ['http://echo-api/a', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-A': '1' }, body: '{}' }],
      ['http://echo-api/a', { method: 'Query', body: new Uint8Array([1, 2, 255]) }],
      ['http://echo-api/a', { method: 'DELETE', headers: [['x-b', '2']] }],
    ];
    const expected: string[] = [];
    for (const [url, init] of calls) {
      expected.push(await view(new Request(url, init)));
      const response = await sim.exec('shop', (ctx) => api.fetch(ctx)(url, init));
      expect(response.status).toBe(204);
    }
    expect(seen).toEqual(expected);
  });
});
