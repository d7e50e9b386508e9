// Chaos scenarios: model, runner, seed sweep, shrinking and replay.
export { type AppliedFault, applyFault, resolveTargets } from './apply-fault.js';
export { BUILTIN_INVARIANTS } from './builtin-invariants.js';
export { type ChurnPlan, planChurn } from './churn.js';
export {
  type ClusterInvariant,
  type ClusterOperation,
  type ClusterSystemSpec,
  clusterSystem,
  type OperationContext,
} from './cluster-system.js';
export {
  describeAction,
  describeFault,
  FAULT_TYPES,
  type FaultAction,
  type FaultEvent,
  type FaultTrigger,
  type FaultType,
  formatMs,
} from './faults.js';
export { DEFAULT_MIN_SEEDS, describeHitRate, foundExpected, type HuntOutcome, huntOutcome } from './hunt.js';
export type { Finding, Invariant, InvariantFactory, InvariantRef, Observation } from './invariant.js';
export { findScenarioFiles, loadScenarioFile, SCENARIO_EXTENSIONS } from './load.js';
export { planNemesis } from './nemesis.js';
export { type ReplayOutcome, readReplaySource, replayReport } from './replay.js';
export type {
  InvariantVerdict,
  OperationCounts,
  ReplayInput,
  RunOutcome,
  RunResult,
  ShrinkSummary,
  Timeline,
  TimelineFault,
  TimelineMark,
  TimelineMessage,
  TimelineOperation,
  Violation,
  WitnessEvent,
} from './result.js';
export { violatedInvariants } from './result.js';
export {
  DEFAULT_REPORT_DIR,
  planRun,
  type RunOptions,
  type RunOverrides,
  type RunPlan,
  runScenario,
} from './run.js';
export { DEFAULT_SEEDS, defineScenario, type Scenario, type ScenarioInput } from './scenario.js';
export { ScenarioError } from './scenario-error.js';
export type { ChurnSpec, NemesisSpec, WorkloadSpec } from './schema.js';
export {
  candidateFails,
  DEFAULT_SHRINK_BUDGET,
  MIN_RATIO_OPERATIONS,
  RATIO_INVARIANTS,
  type RunCandidate,
  type ShrinkCandidate,
  type ShrinkOptions,
  shrinkRun,
  violates,
} from './shrink.js';
export { defaultWorkers, type SweepOptions, SweepError, sweep } from './sweep.js';
export { type SweepShrinkOptions, shrinkTarget, sweepAndShrink } from './sweep-shrink.js';
export {
  createRunPool,
  defaultPoolSize,
  PoolError,
  type PoolOptions,
  type PoolRunOptions,
  type RunJob,
  type RunPool,
} from './pool.js';
export { type BuiltSystem, defineSystem, type SystemDefinition } from './system.js';
export { executeTask, type RunTask, shrinkOnPool } from './task.js';
export { RECORD_ALIASES } from './trigger.js';
export { type ScenarioProblem, validateScenario } from './validate.js';
export { planWorkload, VALUE_OPS } from './workload.js';
export type { WorkloadOp } from './workload-types.js';
