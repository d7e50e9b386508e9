/**
 * The registry as an infrastructure node of a sim world: a {@link MemoryRegistry} runs on one node
 * (by default `registry`), and services on other nodes reach it through sim messages (see
 * `remote.ts`). A partition from the registry node hurts the way it does in production: register
 * and lookups time out, and watch events are lost while it lasts.
 *
 *   sim.node('registry', (ctx) => { serveRegistry(ctx); });
 *   sim.node('greeter-1', (ctx) => createService({ …, registry: simRegistry(ctx) }));
 *
 * A crash of the registry node loses its state (it is memory); services re-register on their
 * interval and so rebuild it. A watch does not survive the crash — or a lost watch request —
 * silently; it ends only if the watch request itself fails, and the selector then re-reads.
 */
import { MemoryRegistry } from '../micro/registry/memory.js';
import type { RegisterOptions, Registry, RegistryEvent, Service, WatchOptions } from '../micro/registry/types.js';
import { AsyncQueue } from '../micro/transport/async-queue.js';
import { connect, type RemotePort, serve } from './remote.js';

export const DEFAULT_REGISTRY_NODE = 'registry';
export const DEFAULT_REGISTRY_PORT = 'registry';

export interface ServeRegistryOptions {
  /** Sim port it answers on. Default: DEFAULT_REGISTRY_PORT. */
  readonly port?: string;
  /** TTL for registrations that give none. Default: the memory registry's. */
  readonly defaultTtlMs?: number;
}

/** Host the registry on this node. Returns the registry itself (for assertions in tests). */
export function serveRegistry(ctx: RemotePort, options: ServeRegistryOptions = {}): MemoryRegistry {
  const port = options.port ?? DEFAULT_REGISTRY_PORT;
  const registry = new MemoryRegistry(
    options.defaultTtlMs === undefined
      ? { runtime: ctx.runtime }
      : { runtime: ctx.runtime, defaultTtlMs: options.defaultTtlMs },
  );
  const watches = new Map<string, AbortController>();
  serve(ctx, port, {
    register: ([service, registerOptions]) => registry.register(service as Service, registerOptions as RegisterOptions),
    deregister: ([service]) => registry.deregister(service as Service),
    getService: ([name]) => registry.getService(name as string),
    listServices: () => registry.listServices(),
    watch: ([watchId, service, eventPort], { from }) => {
      const key = `${from}|${watchId as string}`;
      watches.get(key)?.abort();
      const abort = new AbortController();
      watches.set(key, abort);
      const options: WatchOptions =
        service === undefined ? { signal: abort.signal } : { service: service as string, signal: abort.signal };
      void (async () => {
        for await (const event of registry.watch(options)) {
          ctx.send(from, structuredClone(event), { port: eventPort as string, size: 256 });
        }
      })();
      return true;
    },
    unwatch: ([watchId], { from }) => {
      const key = `${from}|${watchId as string}`;
      watches.get(key)?.abort();
      watches.delete(key);
      return true;
    },
  });
  return registry;
}

export interface SimRegistryOptions {
  /** The node hosting the registry. Default: DEFAULT_REGISTRY_NODE. */
  readonly node?: string;
  readonly port?: string; // default: DEFAULT_REGISTRY_PORT
  /** How long each request waits for the registry's answer. Default: remote's (1000 ms). */
  readonly timeoutMs?: number;
}

const watchCounts = new WeakMap<RemotePort, number>();

/** A Registry client for services on this node, talking to the registry node. */
export function simRegistry(ctx: RemotePort, options: SimRegistryOptions = {}): Registry {
  const node = options.node ?? DEFAULT_REGISTRY_NODE;
  const port = options.port ?? DEFAULT_REGISTRY_PORT;
  const remote = connect(ctx, node, port, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  return {
    name: 'sim',
    register: (service, registerOptions = {}) => remote.call('register', service, registerOptions),
    deregister: (service) => remote.call('deregister', service),
    getService: (name) => remote.call<Service[]>('getService', name),
    listServices: () => remote.call<Service[]>('listServices'),
    watch(watchOptions = {}) {
      if (watchOptions.signal?.aborted) {
        const ended = new AsyncQueue<RegistryEvent>();
        ended.close();
        return ended;
      }
      const n = (watchCounts.get(ctx) ?? 0) + 1;
      watchCounts.set(ctx, n);
      const watchId = String(n);
      const eventPort = `${port}.watch.${node}.${n}`;
      const stop = () => {
        unsubscribe();
        queue.close();
        void remote.call('unwatch', watchId).catch(() => {});
      };
      const queue = new AsyncQueue<RegistryEvent>(stop);
      const unsubscribe = ctx.on(eventPort, ({ payload }) => queue.push(payload as RegistryEvent));
      watchOptions.signal?.addEventListener('abort', stop, { once: true });
      remote.call('watch', watchId, watchOptions.service, eventPort).catch((error: unknown) => {
        unsubscribe();
        queue.fail(error);
      });
      return queue;
    },
  };
}
