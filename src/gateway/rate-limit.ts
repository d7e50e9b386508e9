/**
 * A token bucket on a runtime clock: `capacity` tokens, refilled at `perSecond`. It reads only the
 * clock it is given, so in a simulation it runs on the node's virtual (possibly skewed) time.
 *
 * Why not rate-limiter-flexible's RateLimiterMemory: it reads `Date.now()` and arms `setTimeout`
 * itself and takes no clock, so inside a simulation it would read the kernel's global virtual time
 * rather than the gateway node's clock, and outside one (a manual runtime in a unit test) it would
 * read the wall clock. A bucket is a few lines over the clock we already have.
 */
import type { Clock } from '../micro/runtime.js';

export interface RateLimit {
  /** Sustained requests per second. Required, > 0. */
  readonly perSecond: number;
  /** How many may arrive at once. Default: `perSecond` (one second's worth). */
  readonly burst?: number;
}

export type Admission = { readonly type: 'admitted' } | { readonly type: 'limited'; readonly retryAfterMs: number };

export interface TokenBucket {
  take(): Admission;
}

export function tokenBucket(limit: RateLimit, clock: Clock): TokenBucket {
  if (!(limit.perSecond > 0)) throw new TypeError(`rateLimit.perSecond: expected a number > 0, got ${limit.perSecond}`);
  const capacity = limit.burst ?? limit.perSecond;
  if (!(capacity >= 1)) throw new TypeError(`rateLimit.burst: expected a number >= 1, got ${limit.burst}`);
  let tokens = capacity;
  let last = clock.now();
  return {
    take() {
      const now = clock.now();
      tokens = Math.min(capacity, tokens + (Math.max(0, now - last) * limit.perSecond) / 1000);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return { type: 'admitted' };
      }
      return { type: 'limited', retryAfterMs: Math.ceil(((1 - tokens) * 1000) / limit.perSecond) };
    },
  };
}
