/**
 * Cache: get/set/delete of JSON values with a time to live.
 *
 * Contract (the conformance suite in `src/conformance/cache.ts` is its executable form):
 * - Values are JSON ({@link JsonValue}); what `get` returns is a fresh copy equal (deeply) to
 *   what was set, so a real backend that serialises behaves exactly like memory. A value that
 *   JSON cannot represent faithfully (undefined, a function, NaN, Infinity, a bigint, a cycle,
 *   a class instance) is rejected with a BAD_REQUEST MicroError naming the key.
 * - Keys are non-empty strings of at most {@link MAX_CACHE_KEY_LENGTH} UTF-16 units.
 * - An entry set with `ttlMs` at clock time `t` is returned while `now < t + ttlMs` and is
 *   gone from `t + ttlMs` on; `set` again replaces both value and TTL. Without `ttlMs` the
 *   cache's `defaultTtlMs` applies (default: never expires). Time is the injected Runtime's
 *   clock, so virtual time in a simulation.
 * - A cache may evict entries early (it is a cache); implementations here never do unless a
 *   capacity is configured, and say so.
 * - `delete` returns whether a live entry was removed.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Longest key accepted, in UTF-16 code units. */
export const MAX_CACHE_KEY_LENGTH = 1024;

export interface CacheSetOptions {
  /** Time to live in ms, a positive finite number. Default: the cache's `defaultTtlMs`. */
  readonly ttlMs?: number;
}

export interface Cache {
  /** The live value at `key`, or undefined (missing or expired). */
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue, options?: CacheSetOptions): Promise<void>;
  /** True if a live entry was removed. */
  delete(key: string): Promise<boolean>;
  /** Release the backend (idempotent). */
  close(): Promise<void>;
}
