/**
 * createStore: the rich {@link Store} API over a narrow {@link StoreDriver}. TTL, listing
 * order, suffix/offset/limit, scopes, validation and expiry-aware compare-and-set live here,
 * once, so every backend (memory, Redis, PostgreSQL, NATS KV, the simulated fake) behaves
 * the same and implements only get/put/delete/scan.
 */
import { badRequest, unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Runtime } from '../runtime.js';
import {
  DEFAULT_DATABASE,
  DEFAULT_MAX_VALUE_BYTES,
  DEFAULT_TABLE,
  type DeleteOptions,
  type DeleteResult,
  type DriverEntry,
  type ListOptions,
  MAX_KEY_LENGTH,
  SCOPE_NAME_PATTERN,
  type Store,
  type StoreDriver,
  type StoreMetadata,
  type StoreRecord,
  type StoreScope,
  type StoreWrite,
  type WriteOptions,
  type WriteResult,
} from './types.js';
import { checkCount, checkKey, checkString, checkTtl, describeValue } from './validate.js';

export interface StoreOptions {
  /** The backend. Required. */
  readonly driver: StoreDriver;
  /** Clock for TTLs. Default: liveRuntime. */
  readonly runtime?: Runtime;
  /** Default: {@link DEFAULT_DATABASE}. */
  readonly database?: string;
  /** Default: {@link DEFAULT_TABLE}. */
  readonly table?: string;
  /** Largest value accepted, in bytes. Default: {@link DEFAULT_MAX_VALUE_BYTES}. */
  readonly maxValueBytes?: number;
}

export interface StoreConfig {
  readonly driver: StoreDriver;
  readonly runtime: Runtime;
  readonly scope: StoreScope;
  readonly maxValueBytes: number;
}

export function resolveStoreOptions(options: StoreOptions): StoreConfig {
  const driver = options.driver as StoreDriver | undefined;
  if (!driver || typeof driver.get !== 'function') throw badRequest('createStore: driver is required');
  const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  if (!Number.isSafeInteger(maxValueBytes) || maxValueBytes <= 0)
    throw badRequest(`createStore: maxValueBytes must be a positive integer, got ${describeValue(maxValueBytes)}`);
  return {
    driver,
    runtime: options.runtime ?? liveRuntime,
    scope: checkScope('createStore', {
      database: options.database ?? DEFAULT_DATABASE,
      table: options.table ?? DEFAULT_TABLE,
    }),
    maxValueBytes,
  };
}

/** Build a store over a driver. */
export function createStore(options: StoreOptions): Store {
  const config = resolveStoreOptions(options);
  const shared = { closed: false };
  return scoped(config, config.scope, shared);
}

/** How many times an expiry-aware CAS retries when the driver's view changed under it. */
const CAS_ATTEMPTS = 8;

function scoped(config: StoreConfig, scope: StoreScope, shared: { closed: boolean }): Store {
  const { driver, runtime } = config;
  const isLive = (entry: DriverEntry | undefined): entry is DriverEntry =>
    entry !== undefined && (entry.expiresAt === undefined || runtime.clock.now() < entry.expiresAt);
  const live = (entry: DriverEntry | undefined): StoreRecord | undefined => (isLive(entry) ? entry : undefined);
  const open = (op: string) => {
    if (shared.closed) throw unavailable(`${op}: the store is closed`);
  };

  async function matching(op: string, options: ListOptions = {}): Promise<StoreRecord[]> {
    open(op);
    const prefix = checkString(op, options.prefix, 'prefix') ?? '';
    const suffix = checkString(op, options.suffix, 'suffix') ?? '';
    const offset = checkCount(op, options.offset, 'offset') ?? 0;
    const limit = checkCount(op, options.limit, 'limit') ?? Number.POSITIVE_INFINITY;
    const found: StoreRecord[] = [];
    for await (const entry of driver.scan(scope, prefix)) {
      if (isLive(entry) && entry.key.startsWith(prefix) && entry.key.endsWith(suffix)) found.push(entry);
    }
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return found.slice(offset, offset + limit);
  }

  return {
    scope,
    async read(key) {
      open('store.read');
      return live(await driver.get(scope, checkKey('store.read', key, MAX_KEY_LENGTH)));
    },
    readMany: (options) => matching('store.readMany', options),
    async list(options) {
      return (await matching('store.list', options)).map((record) => record.key);
    },
    async write(record: StoreWrite, options: WriteOptions = {}): Promise<WriteResult> {
      const op = 'store.write';
      open(op);
      if (typeof record !== 'object' || record === null) throw badRequest(`${op}: record must be an object`);
      const key = checkKey(op, record.key, MAX_KEY_LENGTH);
      const value = checkValue(op, record.value, config.maxValueBytes);
      const metadata = checkMetadata(op, record.metadata);
      const ttlMs = checkTtl(op, options.ttlMs);
      const ifRevision = checkCount(op, options.ifRevision, 'ifRevision');
      const entry = {
        key,
        value,
        metadata,
        ...(ttlMs === undefined ? {} : { expiresAt: Math.ceil(runtime.clock.now() + ttlMs) }),
      };
      if (ifRevision === undefined) return driver.put(scope, entry, undefined);
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const stored = await driver.get(scope, key);
        const current = live(stored);
        if ((current?.revision ?? 0) !== ifRevision) return { type: 'conflict', current };
        // An expired entry still sits in the driver: expect its revision, as if it were absent.
        const result = await driver.put(scope, entry, stored?.revision ?? 0);
        if (result.type === 'ok') return result;
      }
      return { type: 'conflict', current: live(await driver.get(scope, key)) };
    },
    async delete(key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
      const op = 'store.delete';
      open(op);
      checkKey(op, key, MAX_KEY_LENGTH);
      const ifRevision = checkCount(op, options.ifRevision, 'ifRevision');
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const stored = await driver.get(scope, key);
        const current = live(stored);
        if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision) return { type: 'conflict', current };
        if (!stored) return { type: 'ok', deleted: false };
        const result = await driver.delete(scope, key, stored.revision);
        if (result.type === 'ok') return { type: 'ok', deleted: current !== undefined };
      }
      return { type: 'conflict', current: live(await driver.get(scope, key)) };
    },
    withScope(next) {
      return scoped(config, checkScope('store.withScope', { ...scope, ...next }), shared);
    },
    async close() {
      if (shared.closed) return;
      shared.closed = true;
      await driver.close();
    },
  };
}

/** Validate a scope, naming the bad part. */
export function checkScope(op: string, scope: StoreScope): StoreScope {
  for (const property of ['database', 'table'] as const) {
    const name: unknown = scope[property];
    if (typeof name !== 'string' || !SCOPE_NAME_PATTERN.test(name))
      throw badRequest(`${op}: ${property} must match ${SCOPE_NAME_PATTERN}, got ${describeValue(name)}`);
  }
  return { database: scope.database, table: scope.table };
}

function checkValue(op: string, value: unknown, maxBytes: number): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw badRequest(`${op}: value must be a Uint8Array, got ${describeValue(value)}`);
  if (value.byteLength > maxBytes)
    throw badRequest(`${op}: value is ${value.byteLength} bytes, larger than maxValueBytes (${maxBytes})`);
  return value;
}

function checkMetadata(op: string, metadata: unknown): StoreMetadata {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw badRequest(`${op}: metadata must be an object of strings, got ${describeValue(metadata)}`);
  for (const [name, value] of Object.entries(metadata)) {
    if (typeof value !== 'string')
      throw badRequest(`${op}: metadata.${name} must be a string, got ${describeValue(value)}`);
  }
  return { ...(metadata as StoreMetadata) };
}
