/**
 * The store as infrastructure: a node of the simulated world (default name `store`) holds the
 * data; services on other nodes reach it through sim messages, so a partition from `store`
 * makes their calls time out in virtual time, exactly as against a real database.
 *
 * - TTLs follow the store node's clock (like a server-side expiry); CAS is atomic on the node.
 * - The data is durable: a crash of the node loses in-flight requests, not records.
 * - Consistency knob: `linearizable` (every read sees every acknowledged write), or
 *   `lagging-replica`: writes go to the primary, reads are served by a replica that applies the
 *   primary's writes in order, each after a lag drawn from the seed (at most `maxLagMs`). A
 *   client can then write and not read its own write — so history checkers have something real
 *   to catch.
 * - Replica lag as a fault: {@link storeControl}`(sim, name).lag(ms, until)` serves reads from
 *   the state of `ms` ago until then (see `store-lag.ts`; `lag store by 500ms for 3s`).
 *
 * Trace records on the store node, for every write or delete the store ACCEPTED (recorded where
 * it is decided, not by the writer, whose view a pause or a lost reply can make wrong):
 * `store.write` / `store.delete` {database, table, key, revision, writer (the calling node)
 * [, token]} — `token` when the write's metadata carries {@link FENCING_TOKEN_METADATA}.
 */
import { badRequest, unavailable } from '../micro/errors.js';
import type { Clock, Runtime } from '../micro/runtime.js';
import { MemoryStoreDriver } from '../micro/store/memory.js';
import { checkScope, createStore } from '../micro/store/store.js';
import {
  DEFAULT_DATABASE,
  DEFAULT_TABLE,
  type DeleteOptions,
  type DriverEntry,
  type ListOptions,
  type Store,
  type StoreDriver,
  type StoreScope,
  type StoreWrite,
  type WriteOptions,
} from '../micro/store/types.js';
import type { NodeContext, Sim } from '../sim/index.js';
import { ownedCopy } from '../sim/owned-copy.js';
import { recordOn } from './record-hooks.js';
import { connect, type RemotePort, serve } from './remote.js';
import { type LagControl, lagWindow } from './store-lag.js';

export const DEFAULT_STORE_NODE = 'store';
export const STORE_PORT = 'store';
/** Record metadata naming the fencing token a write was made under (see `store.write` records). */
export const FENCING_TOKEN_METADATA = 'fencing-token';

const controls = new WeakMap<Sim, Map<string, LagControl>>();

/** The lag control of store node `name` in `sim`; undefined when `name` hosts no store. */
export function storeControl(sim: Sim, name: string): LagControl | undefined {
  return controls.get(sim)?.get(name);
}

/** The names of the store nodes of `sim`, in creation order. */
export function storeNodes(sim: Sim): string[] {
  return [...(controls.get(sim)?.keys() ?? [])];
}

export type Consistency =
  | { readonly type: 'linearizable' }
  | { readonly type: 'lagging-replica'; readonly maxLagMs: number };

export interface StoreNodeOptions {
  /** Default: {@link DEFAULT_STORE_NODE}. */
  readonly name?: string;
  /** Default: `{ type: 'linearizable' }`. */
  readonly consistency?: Consistency;
}

export interface StoreClientOptions {
  /** Default: the store default (`micro`). */
  readonly database?: string;
  /** Default: the store default (`micro`). */
  readonly table?: string;
  /** How long a call waits for the node's reply, on the client's clock. Default: remote's (1 000 ms). */
  readonly timeoutMs?: number;
}

export interface StoreNode {
  readonly name: string;
  /** A Store for code running on the node whose context this is. */
  client(ctx: RemotePort, options?: StoreClientOptions): Store;
  /**
   * The node's data without the network (the primary, on the store node's clock): for test
   * fixtures and for an operator's view. Needs the node to have booted.
   */
  direct(options?: Omit<StoreClientOptions, 'timeoutMs'>): Store;
}

/**
 * A Runtime that always delegates to the current incarnation's, so state created once (and
 * surviving restarts) keeps using the live node's clock, timers and random.
 */
export function incarnationRuntime(): { runtime: Runtime; boot(ctx: NodeContext): void } {
  let current: Runtime | undefined;
  const now = () => {
    if (!current) throw unavailable('the hosting node has not booted yet');
    return current;
  };
  return {
    runtime: {
      clock: { now: () => now().clock.now() },
      timers: {
        setTimeout: (fn, ms) => now().timers.setTimeout(fn, ms),
        setInterval: (fn, ms) => now().timers.setInterval(fn, ms),
      },
      random: { next: () => now().random.next() },
    },
    boot(ctx) {
      current = ctx.runtime;
    },
  };
}

export function resolveConsistency(consistency: Consistency | undefined): Consistency {
  const c = consistency ?? { type: 'linearizable' };
  switch (c.type) {
    case 'linearizable':
      return c;
    case 'lagging-replica':
      if (!Number.isFinite(c.maxLagMs) || c.maxLagMs < 0)
        throw badRequest(`storeNode: consistency.maxLagMs must be a non-negative number, got ${c.maxLagMs}`);
      return c;
    default: {
      const never: never = c;
      throw badRequest(`storeNode: unknown consistency ${JSON.stringify(never)}`);
    }
  }
}

/** Host a store on a new node of `sim`. */
export function storeNode(sim: Sim, options: StoreNodeOptions = {}): StoreNode {
  const name = options.name ?? DEFAULT_STORE_NODE;
  const consistency = resolveConsistency(options.consistency);
  const host = incarnationRuntime();
  // The drivers do not copy: requests and replies are copied at the simulated wire (remote), and
  // `direct` copies in and out itself.
  const primaryDriver = new MemoryStoreDriver(host.runtime.clock, { copies: false });
  const replica =
    consistency.type === 'lagging-replica'
      ? laggingReplica(primaryDriver, consistency.maxLagMs, host.runtime.clock)
      : undefined;
  const lag = lagWindow(replica?.primary ?? primaryDriver, replica?.reads ?? primaryDriver, host.runtime.clock);
  const primary = createStore({ driver: lag.writes, runtime: host.runtime });
  const reads = createStore({ driver: lag.reads, runtime: host.runtime });
  let nodes = controls.get(sim);
  if (nodes === undefined) controls.set(sim, (nodes = new Map()));
  nodes.set(name, lag.control);
  // One scoped view per (store, scope), not one per request: withScope validates and builds closures.
  const views = new Map<Store, Map<string, Store>>([
    [primary, new Map()],
    [reads, new Map()],
  ]);
  const scoped = (store: Store, scope: unknown) => {
    const byScope = views.get(store)!;
    const { database, table } = (scope ?? {}) as Partial<StoreScope>;
    const id = typeof database === 'string' && typeof table === 'string' ? `${database}\u0000${table}` : undefined;
    let view = id === undefined ? undefined : byScope.get(id);
    if (view === undefined) {
      view = store.withScope(scope as StoreScope);
      if (id !== undefined) byScope.set(id, view);
    }
    return view;
  };

  sim.node(name, (ctx) => {
    host.boot(ctx);
    replica?.boot(ctx);
    serve(ctx, STORE_PORT, {
      read: ([scope, key]) => scoped(reads, scope).read(key as string),
      readMany: ([scope, options]) => scoped(reads, scope).readMany(options as ListOptions),
      list: ([scope, options]) => scoped(reads, scope).list(options as ListOptions),
      write: async ([scope, record, options], { from }) => {
        const write = record as StoreWrite;
        const result = await scoped(primary, scope).write(write, options as WriteOptions);
        if (result.type === 'ok')
          recordOn(sim, ctx, accepted('store.write', scope, write.key, result.revision, from, write));
        return result;
      },
      delete: async ([scope, key, options], { from }) => {
        const result = await scoped(primary, scope).delete(key as string, options as DeleteOptions);
        if (result.type === 'ok' && result.deleted)
          recordOn(sim, ctx, accepted('store.delete', scope, key as string, 0, from));
        return result;
      },
    });
  });

  return {
    name,
    direct: (directOptions = {}) => copiedStore(primary.withScope(directOptions)),
    client(ctx, clientOptions = {}) {
      const remote = connect(
        ctx,
        name,
        STORE_PORT,
        clientOptions.timeoutMs === undefined ? {} : { timeoutMs: clientOptions.timeoutMs },
      );
      const scope = checkScope('storeNode.client', {
        database: clientOptions.database ?? DEFAULT_DATABASE,
        table: clientOptions.table ?? DEFAULT_TABLE,
      });
      return remoteStore(remote.call.bind(remote), scope, {
        closed: false,
        close: () => remote.close(),
        views: new Map(),
      });
    },
  };
}

/** `store` with its arguments and results copied (ownedCopy), as the wire would: callers share no bytes with it. */
function copiedStore(store: Store): Store {
  return {
    scope: store.scope,
    read: async (key) => ownedCopy(await store.read(key)),
    readMany: async (options) => ownedCopy(await store.readMany(ownedCopy(options))),
    list: (options) => store.list(ownedCopy(options)),
    write: async (record, options) => ownedCopy(await store.write(ownedCopy(record), ownedCopy(options))),
    delete: async (key, options) => ownedCopy(await store.delete(key, ownedCopy(options))),
    withScope: (next) => copiedStore(store.withScope(next)),
    close: () => store.close(),
  };
}

/** The trace record of a change the store accepted. */
function accepted(type: string, scope: unknown, key: string, revision: number, writer: string, write?: StoreWrite) {
  const { database = DEFAULT_DATABASE, table = DEFAULT_TABLE } = (scope ?? {}) as Partial<StoreScope>;
  const token = Number(write?.metadata?.[FENCING_TOKEN_METADATA]);
  return {
    type,
    database,
    table,
    key,
    ...(revision > 0 ? { revision } : {}),
    writer,
    ...(Number.isFinite(token) && write?.metadata?.[FENCING_TOKEN_METADATA] !== undefined ? { token } : {}),
  };
}

type Call = <T>(method: string, ...args: unknown[]) => Promise<T>;

interface Shared {
  closed: boolean;
  close(): void;
  /** The client's scoped views, one per scope (`withScope` is often called per operation). */
  readonly views: Map<string, Store>;
}

function remoteStore(call: Call, scope: StoreScope, shared: Shared): Store {
  const open = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    if (shared.closed) throw unavailable(`store.${method}: the store is closed`);
    return call<T>(method, scope, ...args);
  };
  return {
    scope,
    read: (key) => open('read', key),
    readMany: (options) => open('readMany', options),
    list: (options) => open('list', options),
    write: (record, options) => open('write', record, options),
    delete: (key, options) => open('delete', key, options),
    withScope: (next) => {
      const wanted = checkScope('store.withScope', { ...scope, ...next });
      const id = `${wanted.database}\u0000${wanted.table}`;
      let view = shared.views.get(id);
      if (view === undefined) shared.views.set(id, (view = remoteStore(call, wanted, shared)));
      return view;
    },
    async close() {
      if (shared.closed) return;
      shared.closed = true;
      shared.close();
    },
  };
}

/**
 * A primary driver that ships each change to a replica driver after a seed-drawn lag,
 * preserving order. Changes not yet applied when the node crashes are applied on restart
 * (the replica catches up from the primary's log).
 */
function laggingReplica(primaryDriver: MemoryStoreDriver, maxLagMs: number, clock: Clock) {
  const replicaDriver = new MemoryStoreDriver(clock, { copies: false });
  type Change = { readonly scope: StoreScope; readonly key: string; readonly entry: DriverEntry | undefined };
  const log: Change[] = [];
  let ctx: NodeContext | undefined;
  let lastApplyAt = 0;

  const applyNext = () => {
    const change = log.shift();
    if (!change) return;
    if (change.entry) replicaDriver.restore(change.scope, change.entry);
    else replicaDriver.remove(change.scope, change.key);
  };
  const ship = (change: Change) => {
    log.push(change);
    if (!ctx) return;
    const now = ctx.runtime.clock.now();
    const lag = Math.floor(ctx.rng('replica-lag').next() * (maxLagMs + 1));
    lastApplyAt = Math.max(lastApplyAt, now + lag);
    ctx.runtime.timers.setTimeout(applyNext, lastApplyAt - now);
  };

  const primary: StoreDriver = {
    name: 'memory-primary',
    get: (scope, key) => primaryDriver.get(scope, key),
    scan: (scope, prefix) => primaryDriver.scan(scope, prefix),
    async put(scope, entry, ifRevision) {
      const result = await primaryDriver.put(scope, entry, ifRevision);
      if (result.type === 'ok') ship({ scope, key: entry.key, entry: { ...entry, revision: result.revision } });
      return result;
    },
    async delete(scope, key, ifRevision) {
      const result = await primaryDriver.delete(scope, key, ifRevision);
      if (result.type === 'ok' && result.deleted) ship({ scope, key, entry: undefined });
      return result;
    },
    close: async () => {},
  };

  return {
    primary,
    reads: replicaDriver as StoreDriver,
    boot(next: NodeContext) {
      ctx = next;
      lastApplyAt = 0;
      // Catch up on whatever a crash left unapplied (its timers died with the old incarnation).
      while (log.length > 0) applyNext();
    },
  };
}
