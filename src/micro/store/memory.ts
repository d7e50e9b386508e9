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
const copyEntry = (entry: DriverEntryInput, revision: number): DriverEntry => {
  const copy = { key: entry.key, value: new Uint8Array(entry.value), metadata: { ...entry.metadata }, revision };
  return entry.expiresAt === undefined ? copy : { ...copy, expiresAt: entry.expiresAt };
};

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

  constructor(private readonly clock?: Clock) {}

  private table(scope: StoreScope): Map<string, DriverEntry> {
    if (this.closed) throw unavailable('memory store driver is closed');
    const id = scopeId(scope);
    let table = this.tables.get(id);
    if (!table) this.tables.set(id, (table = new Map()));
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
    return entry && copyEntry(entry, entry.revision);
  }

  async put(scope: StoreScope, input: DriverEntryInput, ifRevision: number | undefined): Promise<DriverPutResult> {
    const table = this.table(scope);
    const current = this.current(table, input.key);
    if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision)
      return { type: 'conflict', current: current && copyEntry(current, current.revision) };
    const revision = ++this.revision;
    table.set(input.key, copyEntry(input, revision));
    return { type: 'ok', revision };
  }

  async delete(scope: StoreScope, key: string, ifRevision: number | undefined): Promise<DriverDeleteResult> {
    const table = this.table(scope);
    const current = this.current(table, key);
    if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision)
      return { type: 'conflict', current: current && copyEntry(current, current.revision) };
    return { type: 'ok', deleted: table.delete(key) };
  }

  async *scan(scope: StoreScope, prefix: string): AsyncIterable<DriverEntry> {
    const table = this.table(scope);
    for (const key of [...table.keys()]) {
      const entry = this.current(table, key);
      if (entry?.key.startsWith(prefix)) yield copyEntry(entry, entry.revision);
    }
  }

  /** Set an entry exactly as given, revision included (for replicas). */
  restore(scope: StoreScope, entry: DriverEntry): void {
    this.table(scope).set(entry.key, copyEntry(entry, entry.revision));
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
