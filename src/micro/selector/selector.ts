/**
 * The registry selector: caches each service's entries from the registry, keeps them fresh with
 * a watch per service, and picks nodes by strategy. Randomness and time come from the runtime.
 */
import { badRequest, notFound, unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Registry, Service, ServiceNode } from '../registry/types.js';
import type { Runtime } from '../runtime.js';
import { HashRing } from './hash-ring.js';
import { STRATEGIES } from './types.js';
import type { NodeFilter, Selection, SelectOptions, Selector, Strategy } from './types.js';

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

/** The candidates of one snapshot under one filter list, and the call's reusable scratch lists. */
interface Choice {
  readonly filtered: readonly Candidate[];
  readonly passing: Candidate[];
  readonly healthy: Candidate[];
  /** The last consistent-hash ring, and the node ids it was built from. */
  ring: { readonly ids: readonly string[]; readonly ring: HashRing } | undefined;
}

interface Snapshot {
  unfiltered: Choice | undefined;
  readonly byFilters: WeakMap<readonly NodeFilter[], Choice>;
}

/** The ring over the first `count` candidates, rebuilt only when their ids differ from the last ring's. */
function ringOf(choice: Choice, candidates: readonly Candidate[], count: number): HashRing {
  const last = choice.ring;
  if (last !== undefined && last.ids.length === count) {
    let same = true;
    for (let i = 0; i < count && same; i++) same = last.ids[i] === candidates[i]!.node.id;
    if (same) return last.ring;
  }
  const ids = candidates.slice(0, count).map((c) => c.node.id);
  const ring = new HashRing(ids);
  choice.ring = { ids, ring };
  return ring;
}

type Report = (node: ServiceNode, ok: boolean) => void;

/** A selection that reports its outcome to the selector at most once. */
class TrackedSelection implements Selection {
  #report: Report | undefined;
  constructor(
    readonly service: Service,
    readonly node: ServiceNode,
    report: Report,
  ) {
    this.#report = report;
  }

  done(ok: boolean): void {
    const report = this.#report;
    if (report === undefined) return;
    this.#report = undefined;
    report(this.node, ok);
  }
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
  /** Per service snapshot (an array the cache replaces on every change): its candidate lists. */
  readonly #snapshots = new WeakMap<readonly Service[], Snapshot>();
  /** The snapshot used last, checked before the WeakMap (most calls go to the same service). */
  #lastServices: readonly Service[] | undefined;
  #lastSnapshot: Snapshot | undefined;
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
    const { exclude } = options;
    const choice = this.#choice(services, options.filters);
    const now = this.#config.runtime.clock.now();
    const avoiding = this.#avoidUntil.size > 0;
    const { filtered, passing, healthy } = choice;
    // The scratch lists are overwritten slot by slot (never shortened, which would free their
    // storage); only the first `passed` / `fit` slots belong to this call.
    let passed = 0;
    let fit = 0;
    for (const candidate of filtered) {
      if (exclude?.(candidate.node) === true) continue;
      passing[passed++] = candidate;
      if (!avoiding || (this.#avoidUntil.get(candidate.node.id) ?? 0) <= now) healthy[fit++] = candidate;
    }
    if (passed === 0) {
      throw unavailable(`service '${name}' has no node that passes the filters (or whose circuit is closed)`, {
        id: 'selector',
      });
    }
    // Every candidate fit (the common case): `filtered` holds exactly them.
    if (fit === filtered.length) return this.#track(this.#pick(name, filtered, fit, options, choice));
    return this.#track(this.#pick(name, fit > 0 ? healthy : passing, fit > 0 ? fit : passed, options, choice));
  }

  /**
   * The candidates of a snapshot that pass `filters`, made once per snapshot and filter list (a
   * snapshot is replaced, never changed, when the watch reports a change), with scratch lists
   * the synchronous `#choose` refills per call instead of allocating.
   */
  #choice(services: readonly Service[], filters: readonly NodeFilter[] | undefined): Choice {
    let snapshot = this.#lastServices === services ? this.#lastSnapshot : this.#snapshots.get(services);
    if (snapshot === undefined) {
      snapshot = { unfiltered: undefined, byFilters: new WeakMap() };
      this.#snapshots.set(services, snapshot);
    }
    this.#lastServices = services;
    this.#lastSnapshot = snapshot;
    const known = filters === undefined ? snapshot.unfiltered : snapshot.byFilters.get(filters);
    if (known !== undefined) return known;
    const filtered: Candidate[] = [];
    for (const service of services) {
      for (const node of service.nodes) {
        if (filters !== undefined && !filters.every((keep) => keep(service, node))) continue;
        filtered.push({ service, node });
      }
    }
    const choice: Choice = { filtered, passing: [], healthy: [], ring: undefined };
    if (filters === undefined) snapshot.unfiltered = choice;
    else snapshot.byFilters.set(filters, choice);
    return choice;
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#cache.values()) entry.watch.abort();
    this.#cache.clear();
  }

  /** One of the first `count` candidates, by strategy. */
  #pick(
    name: string,
    candidates: readonly Candidate[],
    count: number,
    options: SelectOptions,
    choice: Choice,
  ): Candidate {
    const strategy = options.strategy ?? this.#config.strategy;
    switch (strategy) {
      case 'random':
        return candidates[Math.floor(this.#config.runtime.random.next() * count)]!;
      case 'round-robin': {
        const turn = this.#roundRobin.get(name) ?? 0;
        this.#roundRobin.set(name, turn + 1);
        return candidates[turn % count]!;
      }
      case 'least-outstanding': {
        let best = candidates[0]!;
        for (let i = 1; i < count; i++)
          if (this.#load(candidates[i]!.node) < this.#load(best.node)) best = candidates[i]!;
        return best;
      }
      case 'consistent-hash': {
        if (options.key === undefined)
          throw badRequest(`selector: 'consistent-hash' needs a request key (option 'key')`);
        const owner = ringOf(choice, candidates, count).owner(options.key);
        for (let i = 0; i < count; i++) if (candidates[i]!.node.id === owner) return candidates[i]!;
        throw new Error(`selector: the ring's owner '${owner}' is not a candidate`); // unreachable
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
    return new TrackedSelection(service, node, this.#report);
  }

  /** What a selection reports, once: feeds least-outstanding and the avoid set. */
  readonly #report: Report = (node, ok) => {
    const left = this.#load(node) - 1;
    if (left > 0) this.#outstanding.set(node.id, left);
    else this.#outstanding.delete(node.id);
    if (ok) this.#avoidUntil.delete(node.id);
    else this.#avoidUntil.set(node.id, this.#config.runtime.clock.now() + this.#config.avoidMs);
  };

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
