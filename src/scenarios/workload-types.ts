/**
 * One planned client operation: at virtual time `at`, invoke operation `op` on `key` with `args`.
 * A workload plans a list of these from the seed before the run; the shrinker cuts the list.
 */
export interface WorkloadOp {
  readonly id: number;
  readonly at: number;
  readonly op: string;
  readonly key: string;
  /** What a write writes: distinct, drawn from the seed (see `planWorkload`). */
  readonly value?: string;
  readonly args?: Readonly<Record<string, unknown>>;
}
