/**
 * What a violation says: the longest linearizable prefix of the partition, the operation that
 * cannot be placed after it, and plain data for the HTML timeline (the report renders it).
 */
import type { Operation, OperationStatus, ProcessId } from '../history.js';
import { stableJson } from '../models/model.js';

/** One bar on the timeline. */
export interface TimelineBar {
  readonly id: number;
  readonly process: ProcessId;
  readonly f: string;
  readonly key?: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly status: OperationStatus;
  /** History event indices of the invoke and the completion (`null` when open to the end). */
  readonly call: number;
  readonly ret: number | null;
  /** Virtual times, when the history has them. */
  readonly start?: number;
  readonly end?: number;
  /** Its position in the linearized prefix, or null when not linearized. */
  readonly linearizedAt: number | null;
  /** True for the operation that cannot be placed. */
  readonly stuck: boolean;
}

/** Plain data for one partition's timeline. */
export interface LinearizabilityTimeline {
  readonly partition: string;
  readonly operations: readonly TimelineBar[];
}

/** Why a partition is not linearizable. */
export interface LinearizabilityViolation {
  readonly partition: string;
  /** The longest linearizable prefix, in linearization order. */
  readonly prefix: readonly Operation[];
  /** The model state after the prefix, described for people. */
  readonly state: string;
  /** The operation that cannot be placed after the prefix. */
  readonly stuck: Operation | undefined;
  readonly message: string;
  readonly timeline: LinearizabilityTimeline;
}

/** `p2 cas x [1,4] → fail`: one operation in a line. */
export function describeOperation(op: Operation): string {
  const key = op.key === undefined ? '' : ` ${op.key}`;
  const input = op.input === null || op.input === undefined ? '' : ` ${stableJson(op.input)}`;
  const output =
    op.status === 'unknown'
      ? 'unknown'
      : op.status === 'fail'
        ? 'fail'
        : op.output === undefined || (op.output === op.input && op.f !== 'read' && op.f !== 'get')
          ? 'ok'
          : stableJson(op.output);
  return `#${op.id} p${String(op.process)} ${op.f}${key}${input} → ${output}`;
}

export function explainViolation(
  partition: string,
  ops: readonly Operation[],
  prefix: readonly number[],
  state: string,
  stuck: number,
): LinearizabilityViolation {
  const prefixOps = prefix.map((i) => ops[i] as Operation);
  const stuckOp = stuck >= 0 ? ops[stuck] : undefined;
  const position = new Map(prefix.map((op, i) => [op, i]));
  const where = partition === '' ? '' : ` (key ${JSON.stringify(partition)})`;
  const tail = prefixOps.slice(-3).map(describeOperation).join('; ');
  const message =
    `not linearizable${where}: ${prefix.length} of ${ops.length} operations linearize` +
    (tail ? ` (ending … ${tail})` : '') +
    `, leaving state ${state}; ` +
    (stuckOp ? `then ${describeOperation(stuckOp)} cannot be placed` : 'no further operation can be placed');
  const operations = ops.map((op, i): TimelineBar => {
    const bar: { -readonly [K in keyof TimelineBar]: TimelineBar[K] } = {
      id: op.id,
      process: op.process,
      f: op.f,
      input: op.input,
      output: op.output,
      status: op.status,
      call: op.call,
      ret: Number.isFinite(op.ret) ? op.ret : null,
      linearizedAt: position.get(i) ?? null,
      stuck: i === stuck,
    };
    if (op.key !== undefined) bar.key = op.key;
    if (op.start !== undefined) bar.start = op.start;
    if (op.end !== undefined) bar.end = op.end;
    return bar;
  });
  return { partition, prefix: prefixOps, state, stuck: stuckOp, message, timeline: { partition, operations } };
}
