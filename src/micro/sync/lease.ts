/**
 * A held lease as its holder sees it: a fencing token, a conservative local expiry on the
 * holder's own clock, and a signal that fires when the holder must stop acting as the owner.
 */
import type { Runtime } from '../runtime.js';
import type { Lease, LeaseLoss, LockDriver, RefreshResult } from './types.js';

export interface LeaseGrant {
  /** The user-facing name (lock or election). */
  readonly name: string;
  /** The namespaced key the driver knows it by. */
  readonly key: string;
  readonly holder: string;
  readonly token: number;
  readonly ttlMs: number;
  /** Local epoch ms the lease was measured from (taken before the acquire request left). */
  readonly since: number;
}

/** A lease plus the hook the owner (Sync) uses to end it from outside, e.g. on close. */
export interface HeldLease extends Lease {
  end(loss: LeaseLoss): void;
}

export function holdLease(
  driver: LockDriver,
  runtime: Runtime,
  grant: LeaseGrant,
  onLost: (loss: LeaseLoss) => void,
): HeldLease {
  const controller = new AbortController();
  let resolveLost!: (loss: LeaseLoss) => void;
  const lost = new Promise<LeaseLoss>((resolve) => (resolveLost = resolve));
  let expiresAt = grant.since + grant.ttlMs;
  let timer = runtime.timers.setTimeout(() => end({ type: 'expired' }), expiresAt - runtime.clock.now());

  function end(loss: LeaseLoss) {
    if (controller.signal.aborted) return;
    timer.cancel();
    controller.abort(loss);
    resolveLost(loss);
    onLost(loss);
  }

  return {
    name: grant.name,
    holder: grant.holder,
    token: grant.token,
    get expiresAt() {
      return expiresAt;
    },
    signal: controller.signal,
    lost,
    end,
    async refresh(ttlMs = grant.ttlMs): Promise<RefreshResult> {
      if (!(ttlMs > 0 && Number.isFinite(ttlMs))) throw new RangeError(`refresh: ttlMs must be > 0, got ${ttlMs}`);
      if (controller.signal.aborted) return { type: 'lost' };
      const since = runtime.clock.now();
      const held = await driver.refresh(grant.key, grant.token, ttlMs);
      if (controller.signal.aborted) return { type: 'lost' };
      if (!held) {
        end({ type: 'revoked' });
        return { type: 'lost' };
      }
      expiresAt = since + ttlMs;
      timer.cancel();
      timer = runtime.timers.setTimeout(() => end({ type: 'expired' }), expiresAt - runtime.clock.now());
      return { type: 'refreshed', expiresAt };
    },
    async release() {
      if (controller.signal.aborted) return;
      end({ type: 'released' });
      await driver.release(grant.key, grant.token);
    },
  };
}
