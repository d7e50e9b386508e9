/**
 * The in-process registry: services kept in a map, nodes expiring after their TTL on the runtime's
 * timers (so a simulation expires them in virtual time), watchers fed synchronously on change.
 */
import { badRequest } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Runtime, TimerHandle } from '../runtime.js';
import { AsyncQueue } from '../transport/async-queue.js';
import type {
  RegisterOptions,
  Registry,
  RegistryEvent,
  RegistryEventType,
  Service,
  ServiceNode,
  WatchOptions,
} from './types.js';

export const DEFAULT_REGISTRY_TTL_MS = 30_000;

export interface MemoryRegistryOptions {
  readonly runtime?: Runtime; // default: liveRuntime
  readonly defaultTtlMs?: number; // default: DEFAULT_REGISTRY_TTL_MS
}

interface LiveNode {
  node: ServiceNode;
  expiry: TimerHandle;
}

interface Entry {
  service: Omit<Service, 'nodes'>;
  nodes: Map<string, LiveNode>;
}

export class MemoryRegistry implements Registry {
  readonly name = 'memory';
  readonly #runtime: Runtime;
  readonly #defaultTtlMs: number;
  /** name → version → entry, in registration order. */
  readonly #services = new Map<string, Map<string, Entry>>();
  readonly #watchers = new Set<{ service: string | undefined; queue: AsyncQueue<RegistryEvent> }>();

  constructor(options: MemoryRegistryOptions = {}) {
    this.#runtime = options.runtime ?? liveRuntime;
    this.#defaultTtlMs = options.defaultTtlMs ?? DEFAULT_REGISTRY_TTL_MS;
    if (!(this.#defaultTtlMs > 0)) throw badRequest(`defaultTtlMs must be > 0, got ${options.defaultTtlMs}`);
  }

  async register(registered: Service, options: RegisterOptions = {}): Promise<void> {
    const ttlMs = options.ttlMs ?? this.#defaultTtlMs;
    if (!registered.name) throw badRequest('register: service.name must be non-empty');
    if (!(ttlMs > 0)) throw badRequest(`register: ttlMs must be > 0, got ${ttlMs}`);
    if (!Number.isFinite(ttlMs)) throw badRequest(`register: ttlMs must be finite, got ${ttlMs}`);
    // A version with no nodes does not exist: registering one without nodes creates nothing.
    if (registered.nodes.length === 0 && this.#services.get(registered.name)?.has(registered.version) !== true) return;
    const service = structuredClone(registered); // ours now: the caller may go on mutating its copy
    let versions = this.#services.get(service.name);
    if (versions === undefined) this.#services.set(service.name, (versions = new Map()));
    const existing = versions.get(service.version);
    const entry: Entry = existing ?? { service, nodes: new Map() };
    let changed = existing === undefined || JSON.stringify(existing.service) !== JSON.stringify(strip(service));
    entry.service = strip(service);
    for (const node of service.nodes) {
      const previous = entry.nodes.get(node.id);
      previous?.expiry.cancel();
      if (previous === undefined || JSON.stringify(previous.node) !== JSON.stringify(node)) changed = true;
      const expiry = this.#runtime.timers.setTimeout(() => this.#expire(service.name, service.version, node.id), ttlMs);
      entry.nodes.set(node.id, { node, expiry });
    }
    versions.set(service.version, entry);
    if (changed) this.#emit(existing === undefined ? 'create' : 'update', snapshot(entry));
  }

  async deregister(service: Service): Promise<void> {
    for (const node of service.nodes) this.#remove(service.name, service.version, node.id);
  }

  async getService(name: string): Promise<Service[]> {
    return structuredClone([...(this.#services.get(name)?.values() ?? [])].map(snapshot));
  }

  async listServices(): Promise<Service[]> {
    return structuredClone([...this.#services.values()].flatMap((versions) => [...versions.values()].map(snapshot)));
  }

  watch(options: WatchOptions = {}): AsyncIterable<RegistryEvent> {
    const watcher = { service: options.service, queue: new AsyncQueue<RegistryEvent>(() => stop()) };
    const stop = () => {
      this.#watchers.delete(watcher);
      watcher.queue.close();
    };
    if (options.signal?.aborted) {
      watcher.queue.close();
      return watcher.queue;
    }
    options.signal?.addEventListener('abort', stop, { once: true });
    this.#watchers.add(watcher);
    return watcher.queue;
  }

  /** Number of open watches (for tests and leak checks). */
  get watchers(): number {
    return this.#watchers.size;
  }

  #expire(name: string, version: string, nodeId: string): void {
    this.#remove(name, version, nodeId);
  }

  #remove(name: string, version: string, nodeId: string): void {
    const versions = this.#services.get(name);
    const entry = versions?.get(version);
    const live = entry?.nodes.get(nodeId);
    if (versions === undefined || entry === undefined || live === undefined) return;
    live.expiry.cancel();
    if (entry.nodes.size > 1) {
      entry.nodes.delete(nodeId);
      this.#emit('update', snapshot(entry));
      return;
    }
    versions.delete(version);
    if (versions.size === 0) this.#services.delete(name);
    this.#emit('delete', snapshot(entry));
  }

  #emit(type: RegistryEventType, service: Service): void {
    for (const watcher of this.#watchers) {
      if (watcher.service === undefined || watcher.service === service.name)
        watcher.queue.push({ type, service: structuredClone(service) });
    }
  }
}

export function memoryRegistry(options: MemoryRegistryOptions = {}): MemoryRegistry {
  return new MemoryRegistry(options);
}

function strip(service: Service): Omit<Service, 'nodes'> {
  return { name: service.name, version: service.version, metadata: service.metadata, endpoints: service.endpoints };
}

function snapshot(entry: Entry): Service {
  return { ...entry.service, nodes: [...entry.nodes.values()].map((live) => live.node) };
}
