/**
 * The registry selector: caches each service's entries from the registry, keeps them fresh with
 * a watch per service, and picks nodes by strategy. Randomness and time come from the runtime.
 */
import { badRequest, notFound, unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Registry, Service, ServiceNode } from '../registry/types.js';
import type { Runtime } from '../runtime.js';
import { HashRing } from './hash-ring.js';
import { type Selection, type SelectOptions, type Selector, STRATEGIES, type Strategy } from './types.js';

export const DEFAULT_STRATEGY: Strategy = 'random';
export const DEFAULT_AVOID_MS = 5_000;
export const DEFAULT_CACHE_TTL_MS = 60_000;

export interface SelectorOptions {
  readonly registry: Registry;
  readonly runtime?: Runtime; // default: liveRuntime
  readonly strategy?: Strategy; // default: DEFAULT_STRATEGY
  /** How long a node that failed a call is avoided. Default: DEFAULT_AVOID_MS. */
  readonly avoidMs?: number;
  /** Re-read the registry after this long even if the watch said nothing. Default: DEFAULT_CACHE_TTL_MS. */
  readonly cacheTtlMs?: number;
}

interface CacheEntry {
  services: Service[];
  loadedAt: number;
  watch: AbortController;
}

interface Candidate {
  readonly service: Service;
  readonly node: ServiceNode;
}

export function resolveSelectorOptions(options: SelectorOptions) {
  const config = {
    registry: options.registry,
    runtime: options.runtime ?? liveRuntime,
    strategy: options.strategy ?? DEFAULT_STRATEGY,
    avoidMs: options.avoidMs ?? DEFAULT_AVOID_MS,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
  };
  if (!STRATEGIES.includes(config.strategy)) {
    throw badRequest(`selector: unknown strategy '${config.strategy}' (one of ${STRATEGIES.join(', ')})`);
  }
  if (!(config.avoidMs >= 0)) throw badRequest(`selector: avoidMs must be >= 0, got ${options.avoidMs}`);
  if (!(config.cacheTtlMs > 0)) throw badRequest(`selector: cacheTtlMs must be > 0, got ${options.cacheTtlMs}`);
  return config;
}

export class RegistrySelector implements Selector {
  readonly #config: ReturnType<typeof resolveSelectorOptions>;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #outstanding = new Map<string, number>();
  readonly #avoidUntil = new Map<string, number>();
  readonly #roundRobin = new Map<string, number>();
  #closed = false;

  constructor(options: SelectorOptions) {
    this.#config = resolveSelectorOptions(options);
  }

  async select(name: string, options: SelectOptions = {}): Promise<Selection> {
    return this.#choose(name, this.#fresh(name) ?? (await this.#services(name)), options);
  }

  selectNow(name: string, options: SelectOptions = {}): Selection | undefined {
    const services = this.#fresh(name);
    return services === undefined ? undefined : this.#choose(name, services, options);
  }

  #choose(name: string, services: readonly Service[], options: SelectOptions): Selection {
    if (services.length === 0) throw notFound(`service '${name}' is not registered`, { id: 'selector' });
    const { filters, exclude } = options;
    const now = this.#config.runtime.clock.now();
    const passing: Candidate[] = [];
    const healthy: Candidate[] = [];
    for (const service of services) {
      for (const node of service.nodes) {
        if (filters !== undefined && !filters.every((keep) => keep(service, node))) continue;
        if (exclude?.(node) === true) continue;
        const candidate = { service, node };
        passing.push(candidate);
        if (this.#avoidUntil.size === 0 || (this.#avoidUntil.get(node.id) ?? 0) <= now) healthy.push(candidate);
      }
    }
    if (passing.length === 0) {
      throw unavailable(`service '${name}' has no node that passes the filters (or whose circuit is closed)`, {
        id: 'selector',
      });
    }
    return this.#track(this.#pick(name, healthy.length > 0 ? healthy : passing, options));
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#cache.values()) entry.watch.abort();
    this.#cache.clear();
  }

  #pick(name: string, candidates: readonly Candidate[], options: SelectOptions): Candidate {
    const strategy = options.strategy ?? this.#config.strategy;
    switch (strategy) {
      case 'random':
        return candidates[Math.floor(this.#config.runtime.random.next() * candidates.length)]!;
      case 'round-robin': {
        const turn = this.#roundRobin.get(name) ?? 0;
        this.#roundRobin.set(name, turn + 1);
        return candidates[turn % candidates.length]!;
      }
      case 'least-outstanding': {
        let best = candidates[0]!;
        for (const c of candidates) if (this.#load(c.node) < this.#load(best.node)) best = c;
        return best;
      }
      case 'consistent-hash': {
        if (options.key === undefined)
          throw badRequest(`selector: 'consistent-hash' needs a request key (option 'key')`);
        const owner = new HashRing(candidates.map((c) => c.node.id)).owner(options.key);
        return candidates.find((c) => c.node.id === owner)!;
      }
      default: {
        const never: never = strategy;
        throw badRequest(`selector: unknown strategy '${String(never)}'`);
      }
    }
  }

  #load(node: ServiceNode): number {
    return this.#outstanding.get(node.id) ?? 0;
  }

  #track({ service, node }: Candidate): Selection {
    this.#outstanding.set(node.id, this.#load(node) + 1);
    let reported = false;
    return {
      service,
      node,
      done: (ok) => {
        if (reported) return;
        reported = true;
        const left = this.#load(node) - 1;
        if (left > 0) this.#outstanding.set(node.id, left);
        else this.#outstanding.delete(node.id);
        if (ok) this.#avoidUntil.delete(node.id);
        else this.#avoidUntil.set(node.id, this.#config.runtime.clock.now() + this.#config.avoidMs);
      },
    };
  }

  /** The cached entries of `name` if they are fresh enough to use without asking the registry. */
  #fresh(name: string): Service[] | undefined {
    const cached = this.#cache.get(name);
    if (cached === undefined || this.#config.runtime.clock.now() - cached.loadedAt >= this.#config.cacheTtlMs)
      return undefined;
    return cached.services;
  }

  async #services(name: string): Promise<Service[]> {
    const now = this.#config.runtime.clock.now();
    const cached = this.#cache.get(name);
    if (cached !== undefined && now - cached.loadedAt < this.#config.cacheTtlMs) return cached.services;
    cached?.watch.abort();
    this.#cache.delete(name);
    const services = await this.#config.registry.getService(name);
    if (this.#closed) return services;
    const entry: CacheEntry = { services, loadedAt: now, watch: new AbortController() };
    this.#cache.set(name, entry);
    void this.#follow(name, entry);
    return services;
  }

  /** Apply the registry's changes to a cache entry until its watch is aborted or breaks. */
  async #follow(name: string, entry: CacheEntry): Promise<void> {
    try {
      for await (const event of this.#config.registry.watch({ service: name, signal: entry.watch.signal })) {
        const version = event.service.version;
        const known = entry.services.some((s) => s.version === version);
        if (event.type === 'delete') entry.services = entry.services.filter((s) => s.version !== version);
        else if (known) entry.services = entry.services.map((s) => (s.version === version ? event.service : s));
        else entry.services = [...entry.services, event.service];
      }
    } catch {
      // The watch broke (registry unreachable): forget the entry so the next select re-reads.
    }
    if (this.#cache.get(name) === entry && !entry.watch.signal.aborted) this.#cache.delete(name);
  }
}

export function createSelector(options: SelectorOptions): Selector {
  return new RegistrySelector(options);
}
