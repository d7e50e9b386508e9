/**
 * `fileStoreDriver({ dir })`: a {@link StoreDriver} kept in a directory, durable across crashes.
 *
 * Layout: one file per scope, `<dir>/<database>/<table>.json` ({ revision, entries[] } with
 * values in base64), replaced whole and crash-safely on every write (`atomic-write.ts`: fsync,
 * rename, fsync the directory), so a write that resolved survives a crash and one that did not
 * leaves the previous state. The whole directory is read when the driver opens; writes are
 * serialised in this process. One process per directory: two processes writing the same
 * directory would overwrite each other's changes. Every write rewrites its scope's file, so this
 * suits small to medium tables (configuration, leases, test fixtures), not bulk data.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest, unavailable } from '../../micro/errors.js';
import type {
  DriverDeleteResult,
  DriverEntry,
  DriverEntryInput,
  DriverPutResult,
  StoreDriver,
  StoreScope,
} from '../../micro/store/types.js';
import { atomicWrite, syncDirectory } from './atomic-write.js';

export interface FileStoreOptions {
  /** The directory holding the data; created if missing. Required. */
  readonly dir: string;
}

interface ScopeFile {
  readonly revision: number;
  readonly entries: ReadonlyArray<{
    key: string;
    value: string;
    metadata: Record<string, string>;
    revision: number;
    expiresAt?: number;
  }>;
}

const scopeId = (scope: StoreScope) => `${scope.database}/${scope.table}`;
const copy = (entry: DriverEntry): DriverEntry => ({
  ...entry,
  value: entry.value.slice(),
  metadata: { ...entry.metadata },
});

export async function fileStoreDriver(options: FileStoreOptions): Promise<StoreDriver> {
  if (typeof options.dir !== 'string' || options.dir === '')
    throw badRequest('fileStoreDriver: option dir is required');
  const driver = new FileStoreDriver(options.dir);
  await driver.open();
  return driver;
}

class FileStoreDriver implements StoreDriver {
  readonly name = 'file';
  readonly #tables = new Map<string, Map<string, DriverEntry>>();
  #revision = 0;
  #closed = false;
  /** Writes run one after another, so each scope file is replaced from a consistent table. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const database of await readdir(this.dir, { withFileTypes: true })) {
      if (!database.isDirectory()) continue;
      for (const file of await readdir(join(this.dir, database.name))) {
        if (!file.endsWith('.json')) continue;
        const path = join(this.dir, database.name, file);
        let parsed: ScopeFile;
        try {
          parsed = JSON.parse(await readFile(path, 'utf8')) as ScopeFile;
        } catch (cause) {
          throw unavailable(`file store: ${path} is unreadable: ${(cause as Error).message}`, {
            cause,
            retryable: false,
          });
        }
        const table = new Map<string, DriverEntry>();
        for (const e of parsed.entries) {
          const entry: DriverEntry = {
            key: e.key,
            value: new Uint8Array(Buffer.from(e.value, 'base64')),
            metadata: e.metadata,
            revision: e.revision,
            ...(e.expiresAt === undefined ? {} : { expiresAt: e.expiresAt }),
          };
          table.set(e.key, entry);
        }
        this.#tables.set(`${database.name}/${file.slice(0, -'.json'.length)}`, table);
        this.#revision = Math.max(this.#revision, parsed.revision);
      }
    }
  }

  async get(scope: StoreScope, key: string): Promise<DriverEntry | undefined> {
    const entry = this.#table(scope).get(key);
    return entry && copy(entry);
  }

  put(scope: StoreScope, input: DriverEntryInput, ifRevision: number | undefined): Promise<DriverPutResult> {
    return this.#serially(async () => {
      const table = this.#table(scope);
      const current = table.get(input.key);
      if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision)
        return { type: 'conflict', current: current && copy(current) };
      const revision = this.#revision + 1;
      const next = new Map(table).set(input.key, copy({ ...input, revision }));
      await this.#persist(scope, next, revision);
      this.#tables.set(scopeId(scope), next);
      this.#revision = revision;
      return { type: 'ok', revision };
    });
  }

  delete(scope: StoreScope, key: string, ifRevision: number | undefined): Promise<DriverDeleteResult> {
    return this.#serially(async () => {
      const table = this.#table(scope);
      const current = table.get(key);
      if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision)
        return { type: 'conflict', current: current && copy(current) };
      if (current === undefined) return { type: 'ok', deleted: false };
      const next = new Map(table);
      next.delete(key);
      await this.#persist(scope, next, this.#revision);
      this.#tables.set(scopeId(scope), next);
      return { type: 'ok', deleted: true };
    });
  }

  async *scan(scope: StoreScope, prefix: string): AsyncIterable<DriverEntry> {
    for (const entry of [...this.#table(scope).values()]) if (entry.key.startsWith(prefix)) yield copy(entry);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.catch(() => {});
  }

  #table(scope: StoreScope): Map<string, DriverEntry> {
    if (this.#closed) throw unavailable('file store driver is closed');
    return this.#tables.get(scopeId(scope)) ?? new Map();
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #persist(scope: StoreScope, table: Map<string, DriverEntry>, revision: number): Promise<void> {
    const directory = join(this.dir, scope.database);
    if (!this.#tables.has(scopeId(scope))) {
      await mkdir(directory, { recursive: true });
      await syncDirectory(this.dir);
    }
    const file: ScopeFile = {
      revision,
      entries: [...table.values()].map((e) => ({
        key: e.key,
        value: Buffer.from(e.value).toString('base64'),
        metadata: { ...e.metadata },
        revision: e.revision,
        ...(e.expiresAt === undefined ? {} : { expiresAt: e.expiresAt }),
      })),
    };
    await atomicWrite(join(directory, `${scope.table}.json`), Buffer.from(JSON.stringify(file)));
  }
}
