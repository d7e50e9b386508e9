import { describe, expect, it } from 'vitest';
import { manualRuntime } from '../testing/manual-runtime.js';
import { memoryRegistry } from './memory.js';
import type { RegistryEvent, Service } from './types.js';

const greeter = (version: string, ...nodeIds: string[]): Service => ({
  name: 'greeter',
  version,
  metadata: {},
  endpoints: [{ name: 'Greeter.Hello' }],
  nodes: nodeIds.map((id) => ({ id, address: `memory://${id}`, metadata: {} })),
});

describe('memory registry', () => {
  it('returns one entry per version with its live nodes', async () => {
    const registry = memoryRegistry({ runtime: manualRuntime() });
    await registry.register(greeter('1.0', 'a'));
    await registry.register(greeter('1.0', 'b'));
    await registry.register(greeter('2.0', 'c'));
    const found = await registry.getService('greeter');
    expect(found.map((s) => [s.version, s.nodes.map((n) => n.id)])).toEqual([
      ['1.0', ['a', 'b']],
      ['2.0', ['c']],
    ]);
    expect(await registry.getService('nobody')).toEqual([]);
    await registry.deregister(greeter('1.0', 'a'));
    expect((await registry.listServices()).map((s) => s.nodes.length)).toEqual([1, 1]);
  });

  it('expires a node whose TTL runs out in runtime time, unless it re-registers', async () => {
    const runtime = manualRuntime();
    const registry = memoryRegistry({ runtime });
    await registry.register(greeter('1.0', 'a'), { ttlMs: 1000 });
    await registry.register(greeter('1.0', 'b'), { ttlMs: 1000 });
    await runtime.advance(900);
    await registry.register(greeter('1.0', 'b'), { ttlMs: 1000 }); // b refreshes, a does not
    await runtime.advance(200);
    expect((await registry.getService('greeter'))[0]?.nodes.map((n) => n.id)).toEqual(['b']);
    await runtime.advance(1000);
    expect(await registry.getService('greeter')).toEqual([]);
  });

  it('tells watchers about create, update and delete, and stops on abort', async () => {
    const runtime = manualRuntime();
    const registry = memoryRegistry({ runtime });
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of registry.watch({ service: 'greeter', signal: abort.signal })) seen.push(show(event));
    })();
    await registry.register(greeter('1.0', 'a'), { ttlMs: 1000 });
    await registry.register(greeter('1.0', 'a'), { ttlMs: 1000 }); // a refresh changes nothing: no event
    await registry.register(greeter('1.0', 'b'), { ttlMs: 5000 });
    await registry.register({ ...greeter('9.9', 'x'), name: 'other' });
    await runtime.advance(1000); // a expires
    await registry.deregister(greeter('1.0', 'b'));
    await runtime.flush();
    abort.abort();
    await watching;
    expect(seen).toEqual(['create 1.0 [a]', 'update 1.0 [a,b]', 'update 1.0 [b]', 'delete 1.0 [b]']);
    expect(registry.watchers).toBe(0);
  });

  it('rejects a bad TTL naming it', async () => {
    const registry = memoryRegistry({ runtime: manualRuntime() });
    await expect(registry.register(greeter('1.0', 'a'), { ttlMs: 0 })).rejects.toThrow(/ttlMs must be > 0, got 0/);
  });
});

function show(event: RegistryEvent): string {
  return `${event.type} ${event.service.version} [${event.service.nodes.map((n) => n.id).join(',')}]`;
}
