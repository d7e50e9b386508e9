/**
 * Exponential backoff with jitter: attempt n (0-based) waits between half and all of
 * min(maxMs, baseMs · 2ⁿ), the random half drawn from the runtime's random source.
 */
import type { Random } from '../runtime.js';

export const DEFAULT_BACKOFF = { baseMs: 50, maxMs: 2_000 } as const;

export function backoffDelay(attempt: number, random: Random, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random.next() * (ceiling / 2);
}
