import { createService, isMicroError, MemoryRegistry, type MicroService, silentLogger } from '@microcosm-ts/core';
import { type TcpTransport, tcpTransport } from '@microcosm-ts/core/plugins/tcp';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeter, type Greeter } from './greeter.js';

const running: MicroService[] = [];
const transports: TcpTransport[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

/**
 * Real sockets on loopback: each service gets its own TCP transport (as separate processes
 * would); they find each other through one shared registry.
 */
function onLoopback(registry: MemoryRegistry) {
  const transport = tcpTransport();
  transports.push(transport);
  return { registry, transport, logger: silentLogger, server: { address: '127.0.0.1:0' } };
}

async function start(...services: MicroService[]): Promise<void> {
  running.push(...services);
  for (const service of services) await service.start();
}

describe('greeter, over real TCP on loopback', () => {
  it('answers a typed call and streams a chorus from a real port', async () => {
    const registry = new MemoryRegistry();
    const greeter = createGreeter(onLoopback(registry));
    const app = createService({ name: 'app', ...onLoopback(registry) });
    await start(greeter, app);
    expect(greeter.server.address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);

    const proxy = app.client.proxy<Greeter>('greeter', 'Greeter');
    const reply = await proxy.Hello({ name: 'Ada' }, { metadata: { formal: 'yes' } });
    expect(reply).toEqual({ message: 'Good day, Ada', from: greeter.server.address });
    const chorus: string[] = [];
    for await (const line of proxy.Chorus({ name: 'Ada', count: 3 })) chorus.push(line.message);
    expect(chorus).toEqual(['Hello #1, Ada', 'Hello #2, Ada', 'Hello #3, Ada']);
  });

  it('multiplexes many concurrent calls over one pooled socket', async () => {
    const registry = new MemoryRegistry();
    const greeter = createGreeter(onLoopback(registry));
    const plugins = onLoopback(registry);
    const app = createService({ name: 'app', ...plugins });
    await start(greeter, app);
    const proxy = app.client.proxy<Greeter>('greeter', 'Greeter');
    const names = Array.from({ length: 200 }, (_, i) => `caller-${i}`);
    const replies = await Promise.all(names.map((name) => proxy.Hello({ name })));
    expect(replies.map((r) => r.message)).toEqual(names.map((name) => `Hello, ${name}`));
    expect(plugins.transport.pooledSockets(greeter.server.address ?? '')).toBe(1);
  });

  it('carries the remaining deadline to the callee', async () => {
    const registry = new MemoryRegistry();
    const greeter = createGreeter(onLoopback(registry));
    const app = createService({ name: 'app', ...onLoopback(registry) });
    await start(greeter, app);
    const budget = await app.client.proxy<Greeter>('greeter', 'Greeter').Budget({}, { timeoutMs: 2_000 });
    expect(budget).toBeGreaterThan(1_000);
    expect(budget).toBeLessThanOrEqual(2_000);
  });

  it('reports an unknown endpoint as a typed error across the wire', async () => {
    const registry = new MemoryRegistry();
    const greeter = createGreeter(onLoopback(registry));
    const app = createService({ name: 'app', ...onLoopback(registry) });
    await start(greeter, app);
    const error = await app.client.call('greeter', 'Greeter.Goodbye', { name: 'Ada' }).catch((e: unknown) => e);
    expect(isMicroError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('balances over two instances and fails over when one stops', async () => {
    const registry = new MemoryRegistry();
    const one = createGreeter(onLoopback(registry));
    const two = createGreeter(onLoopback(registry));
    const app = createService({ name: 'app', ...onLoopback(registry), strategy: 'round-robin' });
    await start(one, two, app);
    const greeter = app.client.proxy<Greeter>('greeter', 'Greeter');
    const answered = new Set<string>();
    for (let i = 0; i < 4; i++) answered.add((await greeter.Hello({ name: 'x' })).from);
    expect(answered).toEqual(new Set([one.server.address, two.server.address]));

    await one.stop();
    for (let i = 0; i < 4; i++)
      expect((await greeter.Hello({ name: 'x' }, { retries: 2 })).from).toBe(two.server.address);
  });
});
