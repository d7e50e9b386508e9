/**
 * Store: durable records {key, value, metadata, expiry, revision} in database/table scopes.
 *
 * Contract (the conformance suite in `src/conformance/store.ts` is its executable form):
 * - A value is bytes (`Uint8Array`); the caller picks the codec. A stored value is a copy:
 *   mutating the array after `write`, or a record after `read`, changes nothing stored.
 * - Keys are non-empty strings of at most {@link MAX_KEY_LENGTH} UTF-16 units, any unicode.
 *   Database and table names match {@link SCOPE_NAME_PATTERN} (safe as SQL identifiers and
 *   NATS bucket tokens). Bad input is rejected with a BAD_REQUEST MicroError naming the
 *   property and value; nothing is written.
 * - Every successful write gets a `revision`: a positive integer greater than any revision
 *   that key has had before in that scope, even across deletes.
 * - `write` with `ifRevision` is compare-and-set: it succeeds only if the key's current
 *   revision equals `ifRevision` (`0` means "the key must not exist"). A mismatch is an
 *   outcome, not an error: `{ type: 'conflict', current }`. Exactly one of several racing
 *   writers with the same `ifRevision` succeeds.
 * - TTL: a record written with `ttlMs` at clock time `t` is visible while `now < t + ttlMs`
 *   and gone (to read, list, and CAS, where it counts as absent) from `t + ttlMs` on. Time is
 *   the injected Runtime's clock, so it is virtual time in a simulation.
 *   A fractional `t + ttlMs` rounds up to the next whole millisecond.
 * - Listing (`list`, `readMany`) returns live records in ascending key order (JavaScript
 *   string order), filtered by `prefix` and `suffix`, then `offset` skipped, then at most
 *   `limit` returned.
 * - Scopes are disjoint: the same key in two tables (or databases) are two records.
 */

/** Default database and table of a store that was not given a scope. */
export const DEFAULT_DATABASE = 'micro';
export const DEFAULT_TABLE = 'micro';
/** Longest key accepted, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 1024;
/** Largest value accepted by default, in bytes (NATS' default max payload). */
export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
/** Database and table names: letters, digits, `_` and `-`, 1–64 characters. */
export const SCOPE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type StoreMetadata = Readonly<Record<string, string>>;

/** A live record as read back from a store. */
export interface StoreRecord {
  readonly key: string;
  readonly value: Uint8Array;
  readonly metadata: StoreMetadata;
  /** Positive, increasing per key (see the contract above). */
  readonly revision: number;
  /** Epoch ms (runtime clock) from which the record is gone; absent = never expires. */
  readonly expiresAt?: number;
}

/** What a caller writes. */
export interface StoreWrite {
  readonly key: string;
  readonly value: Uint8Array;
  /** Default: `{}`. */
  readonly metadata?: StoreMetadata;
}

export interface WriteOptions {
  /** Time to live in ms, a positive finite number. Default: never expires. */
  readonly ttlMs?: number;
  /** Compare-and-set: write only if the current revision equals this; `0` = must not exist. Default: unconditional. */
  readonly ifRevision?: number;
}

export type WriteResult =
  | { readonly type: 'ok'; readonly revision: number }
  | { readonly type: 'conflict'; readonly current: StoreRecord | undefined };

export interface DeleteOptions {
  /** Delete only if the current revision equals this. Default: unconditional. */
  readonly ifRevision?: number;
}

export type DeleteResult =
  | { readonly type: 'ok'; readonly deleted: boolean }
  | { readonly type: 'conflict'; readonly current: StoreRecord | undefined };

export interface ListOptions {
  /** Only keys starting with this. Default: `''` (all). */
  readonly prefix?: string;
  /** Only keys ending with this. Default: `''` (all). */
  readonly suffix?: string;
  /** Skip this many matches first, a non-negative integer. Default: 0. */
  readonly offset?: number;
  /** Return at most this many, a non-negative integer. Default: unlimited. */
  readonly limit?: number;
}

export interface StoreScope {
  readonly database: string;
  readonly table: string;
}

/** The rich store API every caller uses. Build one with `createStore({ driver })`. */
export interface Store {
  /** The scope this handle reads and writes. */
  readonly scope: StoreScope;
  /** The live record at `key`, or undefined (missing or expired). */
  read(key: string): Promise<StoreRecord | undefined>;
  /** Live records matching `options`, in key order. */
  readMany(options?: ListOptions): Promise<StoreRecord[]>;
  /** Keys of live records matching `options`, in key order. */
  list(options?: ListOptions): Promise<string[]>;
  write(record: StoreWrite, options?: WriteOptions): Promise<WriteResult>;
  delete(key: string, options?: DeleteOptions): Promise<DeleteResult>;
  /** A handle on another scope of the same backend; omitted parts keep this handle's. */
  withScope(scope: Partial<StoreScope>): Store;
  /** Release the backend (idempotent). Handles made by `withScope` share it. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// The driver: the few primitives a backend implements. TTL filtering, listing order,
// suffix/offset/limit, validation and expiry-aware CAS live in shared code (`store.ts`).
// ---------------------------------------------------------------------------------------

/** A stored entry as the driver holds it; it may be expired (the driver need not know time). */
export interface DriverEntry {
  readonly key: string;
  readonly value: Uint8Array;
  readonly metadata: StoreMetadata;
  readonly revision: number;
  readonly expiresAt?: number;
}

export type DriverEntryInput = Omit<DriverEntry, 'revision'>;

export type DriverPutResult =
  | { readonly type: 'ok'; readonly revision: number }
  | { readonly type: 'conflict'; readonly current: DriverEntry | undefined };

export type DriverDeleteResult =
  | { readonly type: 'ok'; readonly deleted: boolean }
  | { readonly type: 'conflict'; readonly current: DriverEntry | undefined };

/**
 * StoreDriver: the narrow contract a backend implements (memory, Redis, PostgreSQL, NATS KV).
 *
 * - Each operation is atomic per key. `ifRevision: undefined` is unconditional; a number
 *   succeeds only if the entry's current revision equals it, where `0` means "no entry"
 *   (an expired-but-present entry counts as present here: the shared layer handles expiry by
 *   passing that entry's revision).
 * - `put` assigns a revision greater than any earlier revision of that key in that scope.
 * - `scan` yields every entry whose key starts with `prefix`, in any order, expired or not.
 * - `expiresAt` is stored and returned as given; a driver may additionally drop entries
 *   natively some time after `expiresAt`, but correctness never depends on it.
 * - Values returned must not alias values held (copy, or decode fresh bytes).
 */
export interface StoreDriver {
  readonly name: string;
  get(scope: StoreScope, key: string): Promise<DriverEntry | undefined>;
  put(scope: StoreScope, entry: DriverEntryInput, ifRevision: number | undefined): Promise<DriverPutResult>;
  delete(scope: StoreScope, key: string, ifRevision: number | undefined): Promise<DriverDeleteResult>;
  scan(scope: StoreScope, prefix: string): AsyncIterable<DriverEntry>;
  close(): Promise<void>;
}
