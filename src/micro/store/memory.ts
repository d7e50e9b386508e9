/**
 * The in-process store: a {@link StoreDriver} over ordered maps, and `memoryStore`, the rich
 * Store over it. Values are copied in and out, so callers never share bytes with the store.
 */
import { unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Clock } from '../runtime.js';
import { createStore, type StoreOptions } from './store.js';
import type {
  DriverDeleteResult,
  DriverEntry,
  DriverEntryInput,
  DriverPutResult,
  Store,
  StoreDriver,
  StoreScope,
} from './types.js';

const scopeId = (scope: StoreScope) => `${scope.database}/${scope.table}`;

/** An entry of our own (fields named, not spread: this runs on every get and put). */
const copyEntry = (entry: DriverEntryInput, revision: number): DriverEntry =>
  entry.expiresAt === undefined
    ? { key: entry.key, value: new Uint8Array(entry.value), metadata: { ...entry.metadata }, revision }
    : {
        key: entry.key,
        value: new Uint8Array(entry.value),
        metadata: { ...entry.metadata },
        revision,
        expiresAt: entry.expiresAt,
      };

/** The entry as given, with its revision: for a driver whose callers copy at their own boundary. */
const takeEntry = (entry: DriverEntryInput, revision: number): DriverEntry =>
  entry.expiresAt === undefined
    ? { key: entry.key, value: entry.value, metadata: entry.metadata, revision }
    : { key: entry.key, value: entry.value, metadata: entry.metadata, revision, expiresAt: entry.expiresAt };

const sameEntry = (entry: DriverEntry): DriverEntry => entry;
const ownEntry = (entry: DriverEntry): DriverEntry => copyEntry(entry, entry.revision);

export interface MemoryStoreDriverOptions {
  /**
   * Copy entries in and out (default true). False only for a driver whose every caller already
   * hands over values it will not touch again and copies what it gets before anyone else sees
   * it — the store fake, whose requests and replies are copied at the simulated wire.
   */
  readonly copies?: boolean;
}

/**
 * A memory driver; `restore`/`remove` let a replica apply another driver's entries verbatim.
 * Given a clock, it drops entries once expired as it meets them (as a server with native TTL
 * would), so a long simulation does not accumulate dead records; without one it keeps them
 * and leaves expiry to the shared layer.
 */
export class MemoryStoreDriver implements StoreDriver {
  readonly name = 'memory';
  private readonly tables = new Map<string, Map<string, DriverEntry>>();
  private revision = 0;
  private closed = false;

  private readonly keep: (entry: DriverEntryInput, revision: number) => DriverEntry;
  private readonly out: (entry: DriverEntry) => DriverEntry;

  constructor(
    private readonly clock?: Clock,
    options: MemoryStoreDriverOptions = {},
  ) {
    const copies = options.copies ?? true;
    this.keep = copies ? copyEntry : takeEntry;
    this.out = copies ? ownEntry : sameEntry;
  }

  /** Tables by scope object too: a store view passes the same scope on every call. */
  private readonly byScope = new WeakMap<StoreScope, Map<string, DriverEntry>>();

  private table(scope: StoreScope): Map<string, DriverEntry> {
    if (this.closed) throw unavailable('memory store driver is closed');
    let table = this.byScope.get(scope);
    if (table) return table;
    const id = scopeId(scope);
    table = this.tables.get(id);
    if (!table) this.tables.set(id, (table = new Map()));
    this.byScope.set(scope, table);
    return table;
  }

  /** The entry at `key`, dropping it first if it has expired. */
  private current(table: Map<string, DriverEntry>, key: string): DriverEntry | undefined {
    const entry = table.get(key);
    if (entry?.expiresAt !== undefined && this.clock && this.clock.now() >= entry.expiresAt) {
      table.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(scope: StoreScope, key: string): Promise<DriverEntry | undefined> {
    const entry = this.current(this.table(scope), key);
    return entry && this.out(entry);
  }

  async put(scope: StoreScope, input: DriverEntryInput, ifRevision: number | undefined): Promise<DriverPutResult> {
    const table = this.table(scope);
    const current = this.current(table, input.key);
    if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision)
      return { type: 'conflict', current: current && this.out(current) };
    const revision = ++this.revision;
    table.set(input.key, this.keep(input, revision));
    return { type: 'ok', revision };
  }

  async delete(scope: StoreScope, key: string, ifRevision: number | undefined): Promise<DriverDeleteResult> {
    const table = this.table(scope);
    const current = this.current(table, key);
    if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision)
      return { type: 'conflict', current: current && this.out(current) };
    return { type: 'ok', deleted: table.delete(key) };
  }

  async *scan(scope: StoreScope, prefix: string): AsyncIterable<DriverEntry> {
    const table = this.table(scope);
    for (const key of [...table.keys()]) {
      const entry = this.current(table, key);
      if (entry?.key.startsWith(prefix)) yield this.out(entry);
    }
  }

  /** Set an entry exactly as given, revision included (for replicas). */
  restore(scope: StoreScope, entry: DriverEntry): void {
    this.table(scope).set(entry.key, this.keep(entry, entry.revision));
    this.revision = Math.max(this.revision, entry.revision);
  }

  /** Remove an entry unconditionally (for replicas). */
  remove(scope: StoreScope, key: string): void {
    this.table(scope).delete(key);
  }

  /** Entries held in a scope, expired ones included until met (for tests and diagnostics). */
  size(scope: StoreScope): number {
    return this.table(scope).size;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export type MemoryStoreOptions = Omit<StoreOptions, 'driver'>;

/** A store held in this process's memory. */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  return createStore({ ...options, driver: new MemoryStoreDriver((options.runtime ?? liveRuntime).clock) });
}
