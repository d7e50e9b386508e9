/**
 * The Sync fake: a lock service hosted on an infrastructure node of a sim world (default
 * `locks`), and Sync clients on other nodes that reach it through sim messages.
 *
 * It behaves like a real lease system because it is one: the service ({@link memoryLockDriver})
 * grants and expires leases on the LOCK NODE's clock, while each client ({@link createSync})
 * keeps its own conservative estimate on ITS node's clock and timers. Partition a holder away
 * and the service hands the name to someone else once the lease runs out there; pause the holder
 * (or skew/drift its clock) and it can go on believing it holds the lease — so a scenario
 * without fencing can fail, and one that writes through a `FencedResource` cannot.
 *
 * Trace records (ctx.record): on the lock node `sync.grant|refresh|release|expire`
 * {name, holder, token[, ttlMs]} (names carry their namespace: `lock/…`, `election/…`); on a
 * client node `sync.lost` {name, holder, token, reason}, `sync.elected` and `sync.leader-lost`
 * {election, candidate, token[, reason]}.
 */
import { memoryLockDriver } from '../micro/sync/memory-driver.js';
import { createSync } from '../micro/sync/sync.js';
import type { LockDriver, Sync } from '../micro/sync/types.js';
import type { NodeContext, Sim, SimNode } from '../sim/index.js';
import { recordOn } from './record-hooks.js';
import { connect, DEFAULT_REMOTE_TIMEOUT_MS, serve } from './remote.js';

export const DEFAULT_LOCKS_NODE = 'locks';
export const LOCKS_PORT = 'sync';

export interface HostLocksOptions {
  /** Node name of the lock service. Default: {@link DEFAULT_LOCKS_NODE}. */
  readonly node?: string;
}

/**
 * Start the lock service on a new node of `sim`. Its leases live in that node's memory (a crash
 * frees every name at once, as a lock service that loses its state would); its fencing tokens
 * live on the node's disk and keep rising across restarts.
 */
export function hostLocks(sim: Sim, options: HostLocksOptions = {}): SimNode {
  return sim.node(options.node ?? DEFAULT_LOCKS_NODE, (ctx) => {
    // Leases live in memory and die with the node; fencing tokens are synced to its disk, so a
    // restarted lock service never hands out a token it handed out before.
    const driver = memoryLockDriver(ctx.runtime, {
      onEvent: (event) => recordOn(sim, ctx, event),
      tokens: {
        load: (name) => ctx.disk.get(`fencing/${name}`) as number | undefined,
        save: (name, token) => {
          ctx.disk.put(`fencing/${name}`, token);
          ctx.disk.sync();
        },
      },
    });
    serve(ctx, LOCKS_PORT, {
      acquire: ([request]) => driver.acquire(request as Parameters<LockDriver['acquire']>[0]),
      refresh: ([name, token, ttlMs]) => driver.refresh(name as string, token as number, ttlMs as number),
      release: ([name, token]) => driver.release(name as string, token as number),
      holder: ([name]) => driver.holder(name as string),
    });
  });
}

export interface SyncClientOptions {
  /** Node hosting the lock service. Default: {@link DEFAULT_LOCKS_NODE}. */
  readonly host?: string;
  /** Reply timeout for calls that do not wait, on the client's clock. Default: DEFAULT_REMOTE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Default holder name. Default: the node's name. */
  readonly holder?: string;
}

/** A LockDriver that forwards to the lock node; a wait gets a reply timeout of its own. */
export function remoteLockDriver(ctx: NodeContext, options: SyncClientOptions = {}): LockDriver {
  const host = options.host ?? DEFAULT_LOCKS_NODE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
  const remote = connect(ctx, host, LOCKS_PORT, { timeoutMs });
  return {
    acquire: (request) =>
      request.waitMs <= 0
        ? remote.call('acquire', request)
        : remote.callWithin(request.waitMs + timeoutMs, 'acquire', request),
    refresh: (name, token, ttlMs) => remote.call('refresh', name, token, ttlMs),
    release: (name, token) => remote.call('release', name, token),
    holder: (name) => remote.call('holder', name),
    async close() {
      remote.close();
    },
  };
}

/** A Sync client on the node of `ctx`; its leases are estimated on that node's clock. */
export function syncClient(ctx: NodeContext, options: SyncClientOptions = {}): Sync {
  return createSync(remoteLockDriver(ctx, options), {
    runtime: ctx.runtime,
    holder: options.holder ?? ctx.name,
    onEvent: (event) => ctx.record(event),
  });
}
