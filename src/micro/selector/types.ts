/**
 * Selector: picks the node that serves the next call to a service.
 *
 * Contract.
 * - `select` resolves to a node of the named service that passes every filter, chosen by the
 *   strategy; it rejects with NOT_FOUND when the registry knows no such service and with
 *   UNAVAILABLE when no node passes the filters (or every one is excluded).
 * - The caller reports how the call went with `selection.done(ok)` exactly once: this feeds
 *   least-outstanding, and a failure makes the selector avoid that node for a while (unless no
 *   other node is left).
 * - The selector caches what the registry says and keeps the cache fresh through `watch`;
 *   `close()` stops the watches.
 */
import type { Service, ServiceNode } from '../registry/types.js';

export const STRATEGIES = ['random', 'round-robin', 'least-outstanding', 'consistent-hash'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * Keep a node when this returns true. Pure: the selector keeps the answer for a registry snapshot
 * and the same filter list (array), asking again only when either changes.
 */
export type NodeFilter = (service: Service, node: ServiceNode) => boolean;

export interface SelectOptions {
  /** Default: the selector's strategy. */
  readonly strategy?: Strategy;
  /** All must pass. Default: none. */
  readonly filters?: readonly NodeFilter[];
  /** The request key for `consistent-hash` (required by it, ignored by the rest). */
  readonly key?: string;
  /** Nodes to leave out for this call (e.g. their circuit is open). Default: none. */
  readonly exclude?: (node: ServiceNode) => boolean;
}

export interface Selection {
  readonly service: Service;
  readonly node: ServiceNode;
  /** Report the outcome, exactly once: `false` for a failure of the node (unreachable, timed out). */
  done(ok: boolean): void;
}

export interface Selector {
  select(service: string, options?: SelectOptions): Promise<Selection>;
  /**
   * The same choice as `select`, made at once from what the selector already knows; undefined when
   * it would have to wait (nothing cached yet). Optional: a client falls back to `select`.
   */
  selectNow?(service: string, options?: SelectOptions): Selection | undefined;
  close(): void;
}

/** Keep nodes of services with exactly this version. */
export const filterVersion =
  (version: string): NodeFilter =>
  (service) =>
    service.version === version;

/** Keep nodes whose metadata (or, failing that, their service's) has every given key = value. */
export const filterMetadata =
  (wanted: Readonly<Record<string, string>>): NodeFilter =>
  (service, node) =>
    Object.entries(wanted).every(([key, value]) => (node.metadata[key] ?? service.metadata[key]) === value);
