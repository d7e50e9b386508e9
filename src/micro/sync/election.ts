/**
 * Leader election as a lease that renews itself: campaign by waiting for the election's lease,
 * then refresh it every `leaseMs / 3` until resign, a refused renewal, or the local estimate
 * running out (renewals not getting through, e.g. across a partition).
 */
import { cancelled } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { abortable } from './abortable.js';
import { type HeldLease, holdLease } from './lease.js';
import type { Leadership, LeaseLoss, LockDriver } from './types.js';

export interface Campaign {
  readonly election: string;
  readonly key: string;
  readonly candidate: string;
  readonly leaseMs: number;
  readonly signal: AbortSignal;
}

export interface CampaignHooks {
  elected(token: number): void;
  lost(token: number, loss: LeaseLoss): void;
  /** Pause before retrying after a retryable driver error. */
  retryPause(ms: number): Promise<void>;
  isRetryable(error: unknown): boolean;
}

export async function campaign(
  driver: LockDriver,
  runtime: Runtime,
  c: Campaign,
  hooks: CampaignHooks,
): Promise<{ readonly lease: HeldLease; readonly public: Leadership }> {
  for (;;) {
    if (c.signal.aborted) throw cancelled(`campaign for ${c.election} cancelled`);
    const since = runtime.clock.now();
    let result: Awaited<ReturnType<LockDriver['acquire']>>;
    try {
      const attempt = driver.acquire({ name: c.key, holder: c.candidate, ttlMs: c.leaseMs, waitMs: c.leaseMs });
      result = await abortable(attempt, c.signal, (late) => {
        if (late.type === 'acquired') void driver.release(c.key, late.token).catch(() => {});
      });
    } catch (error) {
      if (c.signal.aborted || !hooks.isRetryable(error)) throw error;
      await hooks.retryPause(c.leaseMs / 3);
      continue;
    }
    if (result.type === 'timeout') continue;
    if (c.signal.aborted) {
      await driver.release(c.key, result.token).catch(() => {});
      throw cancelled(`campaign for ${c.election} cancelled`);
    }
    return lead(driver, runtime, c, hooks, result.token, since + result.waitedMs);
  }
}

function lead(driver: LockDriver, runtime: Runtime, c: Campaign, hooks: CampaignHooks, token: number, since: number) {
  const renewEvery = Math.max(1, Math.floor(c.leaseMs / 3));
  const renewal = runtime.timers.setInterval(() => {
    lease.refresh().catch(() => {}); // an unreachable service: the local estimate decides
  }, renewEvery);
  const lease = holdLease(
    driver,
    runtime,
    { name: c.election, key: c.key, holder: c.candidate, token, ttlMs: c.leaseMs, since },
    (loss) => {
      renewal.cancel();
      hooks.lost(token, loss);
    },
  );
  hooks.elected(token);
  const leadership: Leadership = {
    election: c.election,
    candidate: c.candidate,
    token,
    signal: lease.signal,
    lost: lease.lost,
    async resign() {
      if (lease.signal.aborted) return;
      lease.end({ type: 'resigned' });
      await driver.release(c.key, token);
    },
  };
  return { lease, public: leadership };
}
