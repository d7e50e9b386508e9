/**
 * A held lease as its holder sees it: a fencing token, a conservative local expiry on the
 * holder's own clock, and a signal that fires when the holder must stop acting as the owner.
 */
import type { Runtime, TimerHandle } from '../runtime.js';
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

const DRIVABLE: unique symbol = Symbol.for('microcosm.drivable') as never;

export function holdLease(
  driver: LockDriver,
  runtime: Runtime,
  grant: LeaseGrant,
  onLost: (loss: LeaseLoss) => void,
): HeldLease {
  return new LeaseState(driver, runtime, grant, onLost);
}

/**
 * A held lease. Its `signal` (an AbortController) and `lost` promise are made on first read,
 * already settled if the lease is gone by then: most holders never look, and a lock taken per
 * request should not pay for them. The expiry timer is kept, since the loss must be noticed.
 */
class LeaseState implements HeldLease {
  /** Tells the test harness's `drive` to wrap a lease like a plain object (its methods are async). */
  readonly [DRIVABLE] = true;
  readonly name: string;
  readonly holder: string;
  readonly token: number;
  readonly #driver: LockDriver;
  readonly #runtime: Runtime;
  readonly #grant: LeaseGrant;
  readonly #onLost: (loss: LeaseLoss) => void;
  #expiresAt: number;
  #timer: TimerHandle;
  #loss: LeaseLoss | undefined;
  #controller: AbortController | undefined;
  #lost: Promise<LeaseLoss> | undefined;
  #resolveLost: ((loss: LeaseLoss) => void) | undefined;

  constructor(driver: LockDriver, runtime: Runtime, grant: LeaseGrant, onLost: (loss: LeaseLoss) => void) {
    this.name = grant.name;
    this.holder = grant.holder;
    this.token = grant.token;
    this.#driver = driver;
    this.#runtime = runtime;
    this.#grant = grant;
    this.#onLost = onLost;
    this.#expiresAt = grant.since + grant.ttlMs;
    this.#timer = this.#arm();
  }

  get expiresAt(): number {
    return this.#expiresAt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#loss !== undefined) this.#controller.abort(this.#loss);
    }
    return this.#controller.signal;
  }

  get lost(): Promise<LeaseLoss> {
    if (this.#lost === undefined) {
      const loss = this.#loss;
      this.#lost =
        loss !== undefined ? Promise.resolve(loss) : new Promise<LeaseLoss>((resolve) => (this.#resolveLost = resolve));
    }
    return this.#lost;
  }

  end(loss: LeaseLoss): void {
    if (this.#loss !== undefined) return;
    this.#loss = loss;
    this.#timer.cancel();
    this.#controller?.abort(loss);
    this.#resolveLost?.(loss);
    this.#onLost(loss);
  }

  async refresh(ttlMs = this.#grant.ttlMs): Promise<RefreshResult> {
    if (!(ttlMs > 0 && Number.isFinite(ttlMs))) throw new RangeError(`refresh: ttlMs must be > 0, got ${ttlMs}`);
    if (this.#loss !== undefined) return { type: 'lost' };
    const since = this.#runtime.clock.now();
    const held = await this.#driver.refresh(this.#grant.key, this.#grant.token, ttlMs);
    if (this.#loss !== undefined) return { type: 'lost' };
    if (!held) {
      this.end({ type: 'revoked' });
      return { type: 'lost' };
    }
    this.#expiresAt = since + ttlMs;
    this.#timer.cancel();
    this.#timer = this.#arm();
    return { type: 'refreshed', expiresAt: this.#expiresAt };
  }

  async release(): Promise<void> {
    if (this.#loss !== undefined) return;
    this.end({ type: 'released' });
    await this.#driver.release(this.#grant.key, this.#grant.token);
  }

  #arm(): TimerHandle {
    return this.#runtime.timers.setTimeout(() => this.end(EXPIRED), this.#expiresAt - this.#runtime.clock.now());
  }
}

const EXPIRED: LeaseLoss = Object.freeze({ type: 'expired' });
