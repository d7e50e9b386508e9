/**
 * The result of running one scenario for one seed: plain data, no functions, no classes, so it
 * crosses worker threads, lands in JSON unchanged and feeds every formatter in `src/report`.
 */
import type { FaultEvent } from './faults.js';
import type { WorkloadOp } from './workload-types.js';

/** One way an invariant was broken, with the trace events and operations that show it. */
export interface Violation {
  readonly invariant: string;
  readonly message: string;
  /** Virtual ms at which the violation became visible, when known. */
  readonly at?: number;
  /** The node where it shows, when one node is to blame. */
  readonly node?: string;
  /** The trace events / operations that witness the violation (a short excerpt). */
  readonly events?: readonly WitnessEvent[];
}

/** A trace record or history entry quoted as evidence. */
export interface WitnessEvent {
  readonly time: number;
  readonly type: string;
  readonly node?: string;
  readonly detail?: string;
}

/** The verdict for one invariant over one run. */
export interface InvariantVerdict {
  readonly invariant: string;
  readonly holds: boolean;
  readonly violations: readonly Violation[];
}

/** What happened to the run as a whole. `error` means the run itself broke (a bug in the system wiring). */
export type RunOutcome = 'held' | 'violated' | 'error';

/** Exactly what to feed the runner to reproduce a run byte for byte. */
export interface ReplayInput {
  /** The scenario file, relative to the working directory the run started in. */
  readonly file: string;
  readonly scenario: string;
  readonly seed: number;
  /** A fault schedule that replaces the one planned from the seed (after shrinking). */
  readonly faults?: readonly FaultEvent[];
  /** A workload that replaces the one planned from the seed (after shrinking). */
  readonly ops?: readonly WorkloadOp[];
}

export interface OperationCounts {
  readonly total: number;
  readonly ok: number;
  readonly fail: number;
  readonly unknown: number;
}

/** How a failing run was cut down to a minimal failing case. */
export interface ShrinkSummary {
  readonly faultsBefore: number;
  readonly faultsAfter: number;
  readonly opsBefore: number;
  readonly opsAfter: number;
  /** How many candidate runs the shrinker tried. */
  readonly runs: number;
  /** The budget of candidate runs, when the shrinker stopped there with cuts left untried. */
  readonly stoppedAtBudget?: number;
  /** The minimal failing run itself (its replay input carries the cut schedule and workload). */
  readonly minimal: RunResult;
}

export interface RunResult {
  readonly scenario: string;
  readonly description?: string;
  readonly seed: number;
  readonly outcome: RunOutcome;
  /**
   * Whether the run met its expectation: every invariant held; for a bug-hunt, the run did not
   * error (whether this seed found the bug is `foundExpected`; the sweep's verdict `huntOutcome`).
   */
  readonly passed: boolean;
  /** `expect: { violated }` of the scenario, when it is a bug-hunt. */
  readonly expectViolated?: string;
  /** `expect: { min-seeds }`: how many seeds of the sweep must find it (see `hunt.ts`). */
  readonly expectMinSeeds?: number;
  readonly verdicts: readonly InvariantVerdict[];
  readonly traceHash: string;
  /** Kernel events the simulation dispatched. */
  readonly traceEvents: number;
  readonly virtualMs: number;
  readonly wallMs: number;
  readonly operations: OperationCounts;
  /** The concrete fault schedule that ran. */
  readonly faults: readonly FaultEvent[];
  readonly replay: ReplayInput;
  /** The shell command that reproduces this run. */
  readonly replayCommand: string;
  readonly error?: string;
  readonly shrink?: ShrinkSummary;
  /** Space-time data for the HTML report (kept for failing runs and one sample per scenario). */
  readonly timeline?: Timeline;
}

/** A message between two nodes: an arrow on the space-time diagram. */
export interface TimelineMessage {
  readonly from: string;
  readonly to: string;
  readonly sentAt: number;
  /** Delivery (or drop) time; undefined while in flight at the end of the run. */
  readonly at?: number;
  readonly outcome: 'delivered' | 'dropped' | 'in-flight';
  readonly label?: string;
}

export interface TimelineOperation {
  readonly id: number;
  readonly client: string;
  readonly label: string;
  readonly invokedAt: number;
  readonly completedAt?: number;
  readonly outcome: 'ok' | 'fail' | 'unknown';
  readonly detail?: string;
}

/** A point event on one node's lane (crash, restart, pause, custom records). */
export interface TimelineMark {
  readonly at: number;
  readonly node: string;
  readonly label: string;
}

export interface TimelineFault {
  readonly at: number;
  readonly until?: number;
  readonly label: string;
  readonly nodes: readonly string[];
}

export interface Timeline {
  readonly nodes: readonly string[];
  readonly durationMs: number;
  readonly messages: readonly TimelineMessage[];
  /** Messages left out to keep the page small. */
  readonly messagesOmitted: number;
  readonly faults: readonly TimelineFault[];
  readonly operations: readonly TimelineOperation[];
  readonly marks: readonly TimelineMark[];
  readonly violations: readonly Violation[];
}

export function violatedInvariants(result: RunResult): string[] {
  return result.verdicts.filter((v) => !v.holds).map((v) => v.invariant);
}
