import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, expect, it } from 'vitest';
import type { RegistryEvent, Service } from '../../micro/registry/types.js';
import { describeBackend } from '../describe-backend.js';
import { jetStreamName } from './names.js';
import { natsRegistry } from './registry.js';
import { uniquePrefix } from './test-helpers.js';

const node = (id: string, port: number) => ({ id, address: `127.0.0.1:${port}`, metadata: {} });
const greeter = (...nodes: Service['nodes']): Service => ({
  name: 'greeter',
  version: '1.0.0',
  metadata: { team: 'core' },
  endpoints: [{ name: 'Greeter.Hello' }],
  nodes,
});

async function take(watch: AsyncIterable<RegistryEvent>, count: number): Promise<RegistryEvent[]> {
  const events: RegistryEvent[] = [];
  for await (const event of watch) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

describeBackend('nats', ({ url }) => {
  const prefix = uniquePrefix('registry');
  const registry = natsRegistry({ url, prefix, watchPollMs: 25 });
  afterAll(async () => {
    await registry.close();
    const nc = await connect({ servers: url });
    await (await jetstreamManager(nc)).streams.delete(`KV_${jetStreamName(prefix)}_registry`).catch(() => false);
    await nc.close();
  });

  it('finds registered nodes per version and forgets deregistered ones', async () => {
    await registry.register(greeter(node('g-1', 4001), node('g-2', 4002)));
    await registry.register({ ...greeter(node('g-3', 4003)), version: '2.0.0' });
    const found = await registry.getService('greeter');
    expect(found.map((s) => [s.version, s.nodes.map((n) => n.id)])).toEqual([
      ['1.0.0', ['g-1', 'g-2']],
      ['2.0.0', ['g-3']],
    ]);
    await registry.deregister(greeter(node('g-1', 4001), node('g-2', 4002)));
    await registry.deregister({ ...greeter(node('g-3', 4003)), version: '2.0.0' });
    expect(await registry.listServices()).toEqual([]);
  });

  it('lets a node expire when it is not refreshed within its TTL', async () => {
    await registry.register(greeter(node('short', 4010)), { ttlMs: 100 });
    expect(await registry.getService('greeter')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await registry.getService('greeter')).toEqual([]);
  });

  it('watches: create, update when a node joins, delete when the last node expires', async () => {
    const controller = new AbortController();
    const events = take(registry.watch({ service: 'greeter', signal: controller.signal }), 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await registry.register(greeter(node('w-1', 4020)), { ttlMs: 400 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await registry.register(greeter(node('w-2', 4021)), { ttlMs: 150 });
    const seen = await events;
    controller.abort();
    expect(seen.map((e) => [e.type, e.service.nodes.map((n) => n.id).sort()])).toEqual([
      ['create', ['w-1']],
      ['update', ['w-1', 'w-2']],
      ['update', ['w-1']],
    ]);
  });

  it('names bad input', async () => {
    await expect(registry.register({ ...greeter(), name: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(registry.register(greeter(node('x', 1)), { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
  });
});
