/**
 * Circuit breakers, one per node. Closed: calls flow, consecutive failures are counted. Open
 * (after `failures` in a row): the node is skipped until `cooldownMs` has passed on the runtime's
 * clock. Half-open: one trial call goes through; its success closes the circuit, its failure
 * opens it again for another cool-down.
 */
import type { Clock } from '../runtime.js';

export interface BreakerOptions {
  /** Consecutive node failures that open the circuit. Default: DEFAULT_BREAKER.failures (5). */
  readonly failures?: number;
  /** How long an open circuit stays open before one probe call may try it. Default: DEFAULT_BREAKER.cooldownMs (1000). */
  readonly cooldownMs?: number;
}

/**
 * Defaults that recover within seconds: a 1 s latency spike or a short partition opens the
 * circuit, and one half-open probe a second later closes it again once the node answers (a
 * 10 s cool-down froze a whole scenario after one spike).
 */
export const DEFAULT_BREAKER = { failures: 5, cooldownMs: 1_000 } as const;

export type BreakerState =
  | { readonly type: 'closed'; readonly failures: number }
  | { readonly type: 'open'; readonly until: number }
  | { readonly type: 'half-open'; readonly trialInFlight: boolean };

export class CircuitBreakers {
  readonly #states = new Map<string, BreakerState>();
  readonly #failures: number;
  readonly #cooldownMs: number;
  readonly #clock: Clock;

  constructor(clock: Clock, options: BreakerOptions = {}) {
    this.#clock = clock;
    this.#failures = options.failures ?? DEFAULT_BREAKER.failures;
    this.#cooldownMs = options.cooldownMs ?? DEFAULT_BREAKER.cooldownMs;
  }

  state(nodeId: string): BreakerState {
    const state = this.#states.get(nodeId) ?? { type: 'closed', failures: 0 };
    if (state.type === 'open' && this.#clock.now() >= state.until) return { type: 'half-open', trialInFlight: false };
    return state;
  }

  /** Whether a call may go to this node now. */
  allows(nodeId: string): boolean {
    const state = this.state(nodeId);
    return state.type === 'closed' || (state.type === 'half-open' && !state.trialInFlight);
  }

  /** A call to this node starts (in half-open, it is the one trial). */
  begin(nodeId: string): void {
    if (this.state(nodeId).type === 'half-open') this.#states.set(nodeId, { type: 'half-open', trialInFlight: true });
  }

  success(nodeId: string): void {
    this.#states.delete(nodeId);
  }

  failure(nodeId: string): void {
    const state = this.state(nodeId);
    const failures = state.type === 'closed' ? state.failures + 1 : this.#failures;
    this.#states.set(
      nodeId,
      failures >= this.#failures
        ? { type: 'open', until: this.#clock.now() + this.#cooldownMs }
        : { type: 'closed', failures },
    );
  }
}
