/**
 * Config: layered sources merged by precedence into one JSON tree, read by dotted path,
 * validated with a zod schema, watched, and hot-reloaded.
 *
 * Contract (the conformance suite in `src/conformance/config.ts` covers sources):
 * - Sources are listed lowest precedence first; objects merge deeply, anything else (arrays
 *   included) from a higher source replaces a lower one.
 * - A path is dotted (`db.pool.max`); `''` is the whole tree. Path segments are object keys
 *   (array items by their decimal index).
 * - A reload loads every source, merges, and validates against the schema if one is set. A
 *   reload that fails (a source throws — an unparsable file, say — or the schema rejects the
 *   merged tree) changes nothing: the last good config stays, and the failure is reported to
 *   `onError` and returned as `{ type: 'rejected', error }`. The first load failing is fatal
 *   (createConfig rejects), with an error naming the source or the bad path.
 * - Sources that can notice their own changes (`watch`) trigger a reload; reloads run one at
 *   a time in order.
 * - `watch(path, listener)` fires after an accepted reload whose value at `path` differs
 *   (deeply) from before, with the new and the old value.
 */
import type { z } from 'zod';

export type ConfigValue = null | boolean | number | string | readonly ConfigValue[] | ConfigTree;
export interface ConfigTree {
  readonly [key: string]: ConfigValue;
}

/**
 * ConfigSource: one layer. `load` returns the layer's current tree (a fresh object) or throws
 * a BAD_REQUEST MicroError naming the source and what is wrong with it. `watch`, if present,
 * calls `onChange` whenever the layer may have changed and returns an unsubscribe function.
 */
export interface ConfigSource {
  readonly name: string;
  load(): Promise<ConfigTree>;
  watch?(onChange: () => void): () => void;
}

export type ReloadResult =
  | { readonly type: 'applied'; readonly changed: boolean }
  | { readonly type: 'rejected'; readonly error: Error };

export type ConfigListener = (value: ConfigValue | undefined, previous: ConfigValue | undefined) => void;

export interface Config<Shape = ConfigTree> {
  /** The merged tree of the last accepted load. */
  snapshot(): ConfigTree;
  /** The value at `path`; `fallback` when there is none. */
  get(path: string): ConfigValue | undefined;
  get<T extends ConfigValue>(path: string, fallback: T): ConfigValue | T;
  /** Parse the value at `path` (default: the whole tree) with `schema`; throws BAD_REQUEST naming the bad path. */
  scan<S extends z.ZodType>(schema: S, path?: string): z.infer<S>;
  /** The whole config parsed by the config's schema (as of the last accepted load). */
  value(): Shape;
  /** Call `listener` when the value at `path` changes. Returns unsubscribe. */
  watch(path: string, listener: ConfigListener): () => void;
  /** Load every source now. */
  reload(): Promise<ReloadResult>;
  /** Stop watching sources (idempotent). */
  close(): Promise<void>;
}
