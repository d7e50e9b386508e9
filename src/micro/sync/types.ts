/**
 * Sync: distributed locks and leader election built on leases, every grant carrying a fencing
 * token.
 *
 * Contract (the executable form is `syncConformance` in src/conformance/sync.ts):
 * - Names (locks and elections) are validated like broker topics; a bad one is a BAD_REQUEST.
 *   Locks and elections live in separate namespaces: election "x" never contends with lock "x".
 * - `lock` grants at most one lease per name at a time, on the lock service's clock. It waits up
 *   to `waitMs` for the name to become free and returns `{ type: 'timeout' }` if it does not — a
 *   result, not an error. An aborted `signal` rejects with CANCELLED.
 * - Fencing: every grant of a name carries a `token` strictly greater than every earlier grant of
 *   that name (tokens are per name, not global; refresh keeps the token). A resource that rejects
 *   writes with a token lower than the highest it has seen (see `FencedResource`) is therefore safe
 *   even when two holders briefly both believe they hold the lease.
 * - Leases expire: the service frees a name `ttlMs` after the grant (or the last refresh) on ITS
 *   clock. The holder keeps its own conservative estimate, `expiresAt` on ITS clock (measured
 *   from before the request was sent), and aborts `lease.signal` / resolves `lease.lost` when that
 *   passes, on release, or when a refresh finds the lease gone. The two clocks are not the same
 *   clock: with a pause, skew, drift or a partition a holder can still believe it holds a lease
 *   that the service has already handed to someone else. That is the nature of leases; fencing
 *   tokens are the remedy.
 * - `refresh` extends a live lease and returns `{ type: 'lost' }` if the service no longer holds
 *   it for this token. `release` / `unlock` frees the name if this lease still holds it;
 *   releasing twice or after expiry is a no-op.
 * - `elect` campaigns until elected (or the signal aborts, CANCELLED). The leader's lease is
 *   renewed in the background every `leaseMs / 3`; leadership is lost — `signal` aborted,
 *   `lost` resolved — on `resign`, on a renewal the service refuses, or when the local lease
 *   estimate runs out because renewals did not get through. `leader(election)` reports the
 *   service's current view.
 * - `close` releases nothing on purpose (a crashed process cannot either): leases simply expire.
 *   It stops background renewal, and later calls reject with UNAVAILABLE.
 */

export interface LockOptions {
  /** Lease length on the service's clock (> 0). Default: {@link DEFAULT_LOCK_TTL_MS}. */
  readonly ttlMs?: number;
  /** How long to wait for the name to become free (≥ 0). Default: 0 (try once). */
  readonly waitMs?: number;
  /** Who holds the lease, as shown in traces and `leader`. Default: the Sync's `holder`. */
  readonly holder?: string;
  /** Abort waiting; `lock` then rejects with CANCELLED. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_LOCK_TTL_MS = 10_000;
export const DEFAULT_LOCK_WAIT_MS = 0;
export const DEFAULT_LEASE_MS = 10_000;

/** Why a holder stopped believing it holds a lease or leadership. */
export type LeaseLoss =
  | { readonly type: 'released' }
  | { readonly type: 'resigned' }
  /** The local estimate ran out (the service may have expired it earlier or later). */
  | { readonly type: 'expired' }
  /** A refresh or renewal reached the service and the service no longer held it for this token. */
  | { readonly type: 'revoked' }
  /** The Sync was closed. */
  | { readonly type: 'closed' };

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Fencing token: strictly increasing per name across grants. */
  readonly token: number;
  /** Epoch ms on the holder's clock after which the holder must assume the lease is gone. */
  readonly expiresAt: number;
  /** Aborted when the holder stops believing it holds the lease. */
  readonly signal: AbortSignal;
  /** Resolves (never rejects) with the reason once the lease is lost. */
  readonly lost: Promise<LeaseLoss>;
  /** Extend the lease by `ttlMs` (default: its original TTL) from now. */
  refresh(ttlMs?: number): Promise<RefreshResult>;
  /** Free the name if this lease still holds it. Idempotent. */
  release(): Promise<void>;
}

export type LockResult = { readonly type: 'acquired'; readonly lease: Lease } | { readonly type: 'timeout' };
export type RefreshResult = { readonly type: 'refreshed'; readonly expiresAt: number } | { readonly type: 'lost' };

export interface ElectOptions {
  /** This candidate's identity, as reported by `leader`. Required, non-empty. */
  readonly candidate: string;
  /** Leadership lease on the service's clock (> 0). Default: {@link DEFAULT_LEASE_MS}. */
  readonly leaseMs?: number;
  /** Stop campaigning; `elect` then rejects with CANCELLED. */
  readonly signal?: AbortSignal;
}

export interface Leadership {
  readonly election: string;
  readonly candidate: string;
  /** Fencing token of this term: strictly increasing per election. */
  readonly token: number;
  /** Aborted when leadership is lost (resign, refused renewal, local lease estimate ran out). */
  readonly signal: AbortSignal;
  readonly lost: Promise<LeaseLoss>;
  /** Step down and free the election for another candidate. Idempotent. */
  resign(): Promise<void>;
}

export interface LeaderInfo {
  readonly candidate: string;
  readonly token: number;
}

export interface Sync {
  lock(name: string, options?: LockOptions): Promise<LockResult>;
  /** Same as `lease.release()`. */
  unlock(lease: Lease): Promise<void>;
  /** Campaign until elected. */
  elect(election: string, options: ElectOptions): Promise<Leadership>;
  /** The current leader as the service sees it, or undefined. */
  leader(election: string): Promise<LeaderInfo | undefined>;
  /** Stop renewals and reject later calls with UNAVAILABLE. Leases are left to expire. */
  close(): Promise<void>;
}

/**
 * The narrow driver under {@link Sync}: the four primitives a lock service must offer. The rich
 * behaviour (local lease estimates, signals, elections, validation) is shared code in
 * `createSync`; a backend (memory, the sim fake, Redis, PostgreSQL …) implements only this.
 * Names reaching a driver are already validated and namespaced (`lock/…`, `election/…`).
 */
export interface LockDriver {
  /**
   * Grant `name` to `holder` for `ttlMs` on the service clock, waiting up to `waitMs` for it to be
   * free. `waitedMs` is how long the service waited before granting (service clock), so the holder
   * can keep a conservative local estimate.
   */
  acquire(request: {
    readonly name: string;
    readonly holder: string;
    readonly ttlMs: number;
    readonly waitMs: number;
  }): Promise<
    { readonly type: 'acquired'; readonly token: number; readonly waitedMs: number } | { readonly type: 'timeout' }
  >;
  /** Extend the grant with this token; false when the service no longer holds it for the token. */
  refresh(name: string, token: number, ttlMs: number): Promise<boolean>;
  /** Free the name if it is still held with this token; otherwise do nothing. */
  release(name: string, token: number): Promise<void>;
  /** The current holder and token, or undefined when the name is free. */
  holder(name: string): Promise<{ readonly holder: string; readonly token: number } | undefined>;
  /** Release driver resources (connections). Leases are left to expire. */
  close(): Promise<void>;
}
