/**
 * createSync: the rich Sync API over any {@link LockDriver} — option validation, local lease
 * estimates and signals, cancellation, and leader election as a lease that renews itself.
 */

import { validateName } from '../broker/topic.js';
import { badRequest, cancelled, isMicroError, unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import { type Runtime, randomId, sleep } from '../runtime.js';
import { abortable } from './abortable.js';
import { campaign } from './election.js';
import { type HeldLease, holdLease } from './lease.js';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  type LeaseLoss,
  type LockDriver,
  type LockOptions,
  type LockResult,
  type Sync,
} from './types.js';

/** What a holder came to believe, for traces and invariants (the fake records these). */
export type SyncClientEvent =
  | {
      readonly type: 'sync.lost';
      readonly name: string;
      readonly holder: string;
      readonly token: number;
      readonly reason: LeaseLoss['type'];
    }
  | { readonly type: 'sync.elected'; readonly election: string; readonly candidate: string; readonly token: number }
  | {
      readonly type: 'sync.leader-lost';
      readonly election: string;
      readonly candidate: string;
      readonly token: number;
      readonly reason: LeaseLoss['type'];
    };

export interface SyncOptions {
  /** Clock, timers and random. Default: liveRuntime. */
  readonly runtime?: Runtime;
  /** Default holder name for locks. Default: a random id from the runtime. */
  readonly holder?: string;
  /** Called when a lease or leadership is gained or lost, as this client sees it. Default: nothing. */
  readonly onEvent?: (event: SyncClientEvent) => void;
}

export const lockKey = (name: string) => `lock/${name}`;
export const electionKey = (election: string) => `election/${election}`;

export function positive(what: string, value: unknown, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw badRequest(`${what} must be a finite number ${allowZero ? '≥ 0' : '> 0'}, got ${String(value)}`);
  return value;
}

export function createSync(driver: LockDriver, options: SyncOptions = {}): Sync {
  const runtime = options.runtime ?? liveRuntime;
  const defaultHolder = options.holder ?? randomId(runtime, 8);
  const emit = options.onEvent ?? (() => {});
  const held = new Set<HeldLease>();
  const stopCampaigns = new AbortController();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('sync is closed');
  };

  return {
    async lock(name, lockOptions: LockOptions = {}): Promise<LockResult> {
      ensureOpen();
      validateName('lock name', name);
      const ttlMs = positive('ttlMs', lockOptions.ttlMs ?? DEFAULT_LOCK_TTL_MS);
      const waitMs = positive('waitMs', lockOptions.waitMs ?? DEFAULT_LOCK_WAIT_MS, true);
      const holder = lockOptions.holder ?? defaultHolder;
      if (typeof holder !== 'string' || holder.length === 0) throw badRequest('holder must be a non-empty string');
      const since = runtime.clock.now();
      const key = lockKey(name);
      const result = await abortable(
        driver.acquire({ name: key, holder, ttlMs, waitMs }),
        lockOptions.signal,
        (late) => {
          if (late.type === 'acquired') void driver.release(key, late.token).catch(() => {});
        },
      );
      if (result.type === 'timeout') return result;
      const lease = holdLease(
        driver,
        runtime,
        { name, key, holder, token: result.token, ttlMs, since: since + result.waitedMs },
        (loss) => {
          held.delete(lease);
          emit({ type: 'sync.lost', name, holder, token: result.token, reason: loss.type });
        },
      );
      held.add(lease);
      return { type: 'acquired', lease };
    },

    unlock: (lease) => lease.release(),

    async elect(election, electOptions) {
      ensureOpen();
      validateName('election', election);
      const candidate = electOptions?.candidate;
      if (typeof candidate !== 'string' || candidate.length === 0)
        throw badRequest('elect: candidate must be a non-empty string');
      const leaseMs = positive('leaseMs', electOptions.leaseMs ?? DEFAULT_LEASE_MS);
      const signal = electOptions.signal
        ? AbortSignal.any([electOptions.signal, stopCampaigns.signal])
        : stopCampaigns.signal;
      const leadership = await campaign(
        driver,
        runtime,
        { election, key: electionKey(election), candidate, leaseMs, signal },
        {
          elected: (token) => emit({ type: 'sync.elected', election, candidate, token }),
          lost: (token, loss) => emit({ type: 'sync.leader-lost', election, candidate, token, reason: loss.type }),
          retryPause: (ms) => sleep(runtime, ms, signal).catch(() => {}),
          isRetryable: (error) => isMicroError(error) && error.retryable,
        },
      );
      held.add(leadership.lease);
      void leadership.lease.lost.then(() => held.delete(leadership.lease));
      return leadership.public;
    },

    async leader(election) {
      ensureOpen();
      validateName('election', election);
      const current = await driver.holder(electionKey(election));
      return current && { candidate: current.holder, token: current.token };
    },

    async close() {
      if (closed) return;
      closed = true;
      stopCampaigns.abort(cancelled('sync closed'));
      for (const lease of [...held]) lease.end({ type: 'closed' });
      await driver.close();
    },
  };
}
