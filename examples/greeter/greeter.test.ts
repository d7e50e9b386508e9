import { createService, type MicroService, manualRuntime, silentLogger } from '@microcosm-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeter, type Greeter } from './greeter.js';

const running: MicroService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Services on one runtime share the in-process registry and transport: no infrastructure. */
async function start(...services: MicroService[]): Promise<void> {
  running.push(...services);
  for (const service of services) await service.start();
}

describe('greeter, in-process', () => {
  it('answers a typed call', async () => {
    const runtime = manualRuntime();
    const greeter = createGreeter({ runtime, logger: silentLogger });
    const app = createService({ name: 'app', runtime, logger: silentLogger });
    await start(greeter, app);
    const proxy = app.client.proxy<Greeter>('greeter', 'Greeter');
    const reply = await proxy.Hello({ name: 'Ada' }, { metadata: { formal: 'yes' } });
    expect(reply.message).toBe('Good day, Ada');
    const chorus: string[] = [];
    for await (const line of proxy.Chorus({ name: 'Ada', count: 3 })) chorus.push(line.message);
    expect(chorus).toEqual(['Hello #1, Ada', 'Hello #2, Ada', 'Hello #3, Ada']);
  });

  it('balances over two instances round-robin and fails over when one stops', async () => {
    const runtime = manualRuntime();
    const one = createGreeter({ runtime, logger: silentLogger });
    const two = createGreeter({ runtime, logger: silentLogger });
    const app = createService({ name: 'app', runtime, logger: silentLogger, strategy: 'round-robin' });
    await start(one, two, app);
    const greeter = app.client.proxy<Greeter>('greeter', 'Greeter');
    const answered = new Set<string>();
    for (let i = 0; i < 4; i++) answered.add((await greeter.Hello({ name: 'x' })).from);
    expect(answered).toEqual(new Set([one.server.address, two.server.address]));
    await one.stop();
    await runtime.flush();
    for (let i = 0; i < 3; i++) expect((await greeter.Hello({ name: 'x' })).from).toBe(two.server.address);
  });
});
