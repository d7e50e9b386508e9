import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RegistryEvent, Service } from '../../micro/registry/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisRegistry } from './registry.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

const node = (id: string, port: number) => ({ id, address: `127.0.0.1:${port}`, metadata: {} });
const greeter = (...nodes: Service['nodes']): Service => ({
  name: 'greeter',
  version: '1.0.0',
  metadata: { team: 'core' },
  endpoints: [{ name: 'Greeter.Hello' }],
  nodes,
});

/** Collect events from a watch until `count` have arrived. */
async function take(watch: AsyncIterable<RegistryEvent>, count: number): Promise<RegistryEvent[]> {
  const events: RegistryEvent[] = [];
  for await (const event of watch) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

describeBackend('redis', ({ url }) => {
  const prefix = uniquePrefix('registry');
  let registry: ReturnType<typeof redisRegistry>;
  beforeAll(() => {
    registry = redisRegistry({ url, prefix, watchPollMs: 25 });
  });
  afterAll(async () => {
    await registry.close();
    await dropPrefix(url, prefix);
  });

  it('finds registered nodes per version and forgets deregistered ones', async () => {
    await registry.register(greeter(node('g-1', 4001), node('g-2', 4002)));
    await registry.register({ ...greeter(node('g-3', 4003)), version: '2.0.0' });
    const found = await registry.getService('greeter');
    expect(found.map((s) => [s.version, s.nodes.map((n) => n.id)])).toEqual([
      ['1.0.0', ['g-1', 'g-2']],
      ['2.0.0', ['g-3']],
    ]);
    expect(found[0]?.endpoints).toEqual([{ name: 'Greeter.Hello' }]);
    await registry.deregister(greeter(node('g-1', 4001), node('g-2', 4002)));
    await registry.deregister({ ...greeter(node('g-3', 4003)), version: '2.0.0' });
    expect(await registry.getService('greeter')).toEqual([]);
    expect(await registry.listServices()).toEqual([]);
  });

  it('lets a node expire when it is not refreshed within its TTL', async () => {
    await registry.register(greeter(node('short', 4010)), { ttlMs: 100 });
    expect(await registry.getService('greeter')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await registry.getService('greeter')).toEqual([]);
  });

  it('watches: create, update when a node joins, delete when the last node expires', async () => {
    const controller = new AbortController();
    const watch = registry.watch({ service: 'greeter', signal: controller.signal });
    const events = take(watch, 3);
    await new Promise((resolve) => setTimeout(resolve, 150)); // the watch subscribes and takes its baseline
    await registry.register(greeter(node('w-1', 4020)), { ttlMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await registry.register(greeter(node('w-1', 4020), node('w-2', 4021)), { ttlMs: 300 });
    const seen = await events;
    controller.abort();
    expect(seen.map((e) => [e.type, e.service.nodes.map((n) => n.id)])).toEqual([
      ['create', ['w-1']],
      ['update', ['w-1', 'w-2']],
      ['delete', ['w-1', 'w-2']],
    ]);
  });
});
