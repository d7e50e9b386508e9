/**
 * Registry: service discovery. Services register their nodes with a TTL and re-register before it
 * runs out; clients look services up and watch for changes.
 *
 * Contract.
 * - A service is identified by (name, version); `register` adds or refreshes its nodes (matched by
 *   node id), `deregister` removes the nodes it lists. A version with no nodes left is gone.
 * - A node not refreshed within its TTL expires (measured in the registry's runtime clock).
 * - `getService(name)` returns one entry per live version (an empty array when none);
 *   `listServices()` returns every live service. Returned objects are snapshots.
 * - `watch()` yields a `create` when a version first appears, `update` when its nodes or metadata
 *   change and `delete` when it disappears, each carrying the service snapshot after the change
 *   (for `delete`, the last snapshot before it went, with the nodes it had). It ends when its signal aborts or the iteration is broken.
 * - Unreachable registries reject with UNAVAILABLE or TIMEOUT MicroErrors.
 */
import type { Metadata } from '../metadata/types.js';

export interface ServiceNode {
  /** Unique across the registry, e.g. `greeter-3f2a`. */
  readonly id: string;
  /** A transport address, e.g. `memory://greeter-1` or `127.0.0.1:4100`. */
  readonly address: string;
  readonly metadata: Metadata;
}

export interface Endpoint {
  /** `Handler.Method`, e.g. `Greeter.Hello`. */
  readonly name: string;
  readonly metadata?: Metadata;
}

export interface Service {
  readonly name: string;
  readonly version: string;
  readonly metadata: Metadata;
  readonly endpoints: readonly Endpoint[];
  readonly nodes: readonly ServiceNode[];
}

export type RegistryEventType = 'create' | 'update' | 'delete';

export interface RegistryEvent {
  readonly type: RegistryEventType;
  readonly service: Service;
}

export interface RegisterOptions {
  /** How long the nodes live without a refresh. Default: the registry's own default. */
  readonly ttlMs?: number;
}

export interface WatchOptions {
  /** Only events for this service name. Default: all services. */
  readonly service?: string;
  readonly signal?: AbortSignal;
}

export interface Registry {
  readonly name: string;
  register(service: Service, options?: RegisterOptions): Promise<void>;
  deregister(service: Service): Promise<void>;
  getService(name: string): Promise<Service[]>;
  listServices(): Promise<Service[]>;
  watch(options?: WatchOptions): AsyncIterable<RegistryEvent>;
}
