/**
 * Health: every service created with `createService` answers `Health.Check` (one node at a time,
 * addressed directly), and a {@link HealthChecker} calls it on every registered node on an
 * interval. A node that fails `threshold` checks in a row is unhealthy: the checker deregisters it
 * and `healthySelector` skips it until a check succeeds again.
 */

/** One call a node served, as its health reply lists it (most recent last). */
export interface CallRecord {
  readonly endpoint: string;
  /** Start, in the node's runtime clock (epoch ms). */
  readonly at: number;
  readonly ms: number;
  /** The MicroError code for a failed call; absent for a success. */
  readonly error?: string;
}

export interface HealthReply {
  readonly status: 'serving';
  readonly service: string;
  readonly version: string;
  readonly node: string;
  readonly uptimeMs: number;
  readonly calls: number;
  readonly errors: number;
  readonly recent: readonly CallRecord[];
}

export const HEALTH_ENDPOINT = 'Health.Check';

export type NodeHealth =
  | { readonly type: 'unknown' }
  | { readonly type: 'healthy'; readonly checkedAt: number; readonly reply: HealthReply }
  | {
      readonly type: 'failing' | 'unhealthy';
      readonly checkedAt: number;
      readonly failures: number;
      readonly error: string;
    };
