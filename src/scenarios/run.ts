/**
 * Run one scenario for one seed in a fresh simulated world: build the system, plan (or take) the
 * fault schedule and the workload, run for the scenario's virtual duration, check every invariant,
 * and return a plain {@link RunResult}. Same scenario, seed and overrides ⇒ same trace hash.
 */
import { createRecorder } from '../assertions/recorder.js';
import { liveRuntime } from '../micro/live.js';
import type { Clock } from '../micro/runtime.js';
import { createSim } from '../sim/kernel.js';
import type { Sim } from '../sim/types.js';
import { applyFault } from './apply-fault.js';
import { checkInvariants } from './check-invariants.js';
import { describeFault, type FaultEvent } from './faults.js';
import { planNemesis } from './nemesis.js';
import { replayCommand, reportBaseName, runCommand } from './replay-command.js';
import type { OperationCounts, ReplayInput, RunResult, TimelineFault } from './result.js';
import type { Scenario } from './scenario.js';
import type { BuiltSystem } from './system.js';
import { buildTimeline } from './timeline.js';
import { armTrigger } from './trigger.js';
import { planWorkload } from './workload.js';
import type { WorkloadOp } from './workload-types.js';

export const DEFAULT_REPORT_DIR = 'reports';

export interface RunOverrides {
  readonly faults?: readonly FaultEvent[];
  readonly ops?: readonly WorkloadOp[];
}

export interface RunOptions {
  /** The scenario's file as the user named it (for the replay command). Default: `<inline>`. */
  readonly file?: string;
  /** Whether that file defines several scenarios (the run command then names this one). Default false. */
  readonly fileHoldsSeveral?: boolean;
  /** A concrete schedule/workload instead of the planned ones (replay of a shrunk case). */
  readonly overrides?: RunOverrides;
  /** Keep the timeline: 'always', 'never', or only when the run did not pass cleanly. Default 'on-violation'. */
  readonly timeline?: 'always' | 'never' | 'on-violation';
  /** Where reports go; a shrunk case's replay command points there. Default {@link DEFAULT_REPORT_DIR}. */
  readonly reportDir?: string;
  /** The wall clock for `wallMs`. Default: the live clock. */
  readonly wallClock?: Clock;
}

/** The concrete plan of a run: exactly what gets scheduled. */
export interface RunPlan {
  readonly faults: readonly FaultEvent[];
  readonly ops: readonly WorkloadOp[];
}

export function planRun(scenario: Scenario, seed: number, system: BuiltSystem, overrides: RunOverrides = {}): RunPlan {
  const faults =
    overrides.faults ??
    [
      ...scenario.faults,
      ...(scenario.nemesis ? planNemesis(scenario.nemesis, seed, scenario.durationMs, system.services) : []),
    ].sort((a, b) => a.at - b.at);
  const ops = overrides.ops ?? planWorkload(scenario.workload, seed, scenario.durationMs);
  return { faults, ops };
}

export async function runScenario(scenario: Scenario, seed: number, options: RunOptions = {}): Promise<RunResult> {
  const wall = options.wallClock ?? liveRuntime.clock;
  const started = wall.now();
  const file = options.file ?? '<inline>';
  const overrides = options.overrides;
  const shrunk = overrides?.faults !== undefined || overrides?.ops !== undefined;
  const replay: ReplayInput = {
    file,
    scenario: scenario.name,
    seed,
    ...(overrides?.faults === undefined ? {} : { faults: overrides.faults }),
    ...(overrides?.ops === undefined ? {} : { ops: overrides.ops }),
  };
  const command = shrunk
    ? replayCommand(`${options.reportDir ?? DEFAULT_REPORT_DIR}/${reportBaseName(scenario.name, seed, true)}.json`)
    : runCommand(file, scenario.name, seed, options.fileHoldsSeveral ?? false);
  const sim = createSim({ seed });
  const recorder = createRecorder({ clock: { now: () => sim.now } });
  const timelineFaults: TimelineFault[] = [];
  let plan: RunPlan = { faults: overrides?.faults ?? scenario.faults, ops: overrides?.ops ?? [] };
  const base = {
    scenario: scenario.name,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    seed,
    ...(scenario.expect === undefined
      ? {}
      : {
          expectViolated: scenario.expect.violated,
          ...(scenario.expect.minSeeds === undefined ? {} : { expectMinSeeds: scenario.expect.minSeeds }),
        }),
    replay,
    replayCommand: command,
  };
  try {
    const system = await scenario.system.build(sim, scenario.systemOptions);
    plan = planRun(scenario, seed, system, overrides);
    // The scenario's clock starts once the system has booted: times in it are relative to that.
    const start = sim.now;
    scheduleFaults(sim, system, plan.faults, start, timelineFaults);
    scheduleWorkload(sim, system, plan.ops, start, recorder);
    await sim.runFor(scenario.durationMs);
    const observation = {
      history: recorder.history,
      // Building the trace's event objects costs; only invariants that read it pay for it.
      get trace() {
        return sim.trace;
      },
      startMs: start,
      durationMs: scenario.durationMs,
    };
    const verdicts = await checkInvariants(scenario, system, observation);
    const violated = verdicts.filter((v) => !v.holds).map((v) => v.invariant);
    // A bug-hunt's seed that misses is no failure: the sweep's hit count decides (hunt.ts).
    const passed = scenario.expect === undefined ? violated.length === 0 : true;
    const keep = options.timeline ?? 'on-violation';
    const violations = verdicts.flatMap((v) => v.violations);
    return {
      ...base,
      outcome: violated.length === 0 ? 'held' : 'violated',
      passed,
      verdicts,
      traceHash: sim.traceHash(),
      traceEvents: sim.stats.events,
      virtualMs: sim.now,
      wallMs: wall.now() - started,
      operations: countOperations(recorder.history),
      faults: plan.faults,
      ...(keep === 'always' || (keep === 'on-violation' && (violated.length > 0 || !passed))
        ? {
            timeline: buildTimeline({
              nodes: orderNodes(sim, system),
              durationMs: sim.now,
              trace: sim.trace,
              history: recorder.history,
              faults: timelineFaults,
              violations,
            }),
          }
        : {}),
    };
  } catch (error) {
    return {
      ...base,
      outcome: 'error',
      passed: false,
      verdicts: [],
      traceHash: sim.disposed ? '' : sim.traceHash(),
      traceEvents: sim.disposed ? 0 : sim.stats.events,
      virtualMs: sim.disposed ? 0 : sim.now,
      wallMs: wall.now() - started,
      operations: countOperations(recorder.history),
      faults: plan.faults,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  } finally {
    if (!sim.disposed) sim.dispose();
  }
}

/** A fault aimed at a role (`@lock-holder`) that nobody holds waits for a holder this long, polling. */
export const ROLE_WAIT_MS = 1_000;
export const ROLE_POLL_MS = 5;

function scheduleFaults(
  sim: Sim,
  system: BuiltSystem,
  faults: readonly FaultEvent[],
  start: number,
  out: TimelineFault[],
): void {
  for (const fault of faults) {
    const due = start + fault.at;
    // When the fault first tried to fire: its due time, or the moment its trigger went off.
    let firstTry: number | undefined;
    const attempt = () => {
      const applied = applyFault(sim, system, fault);
      firstTry ??= sim.now;
      if (applied.nodes.length === 0 && targetsRole(fault) && sim.now + ROLE_POLL_MS <= firstTry + ROLE_WAIT_MS) {
        sim.schedule(sim.now + ROLE_POLL_MS, attempt, `wait for ${describeFault(fault)}`);
        return;
      }
      const until = fault.for === undefined ? undefined : sim.now + fault.for;
      out.push({
        at: sim.now,
        ...(until === undefined ? {} : { until }),
        label: describeFault(fault),
        nodes: applied.nodes,
      });
      if (until !== undefined && applied.undo) sim.schedule(until, applied.undo, `undo ${describeFault(fault)}`);
    };
    if (fault.on === undefined) sim.schedule(due, attempt, describeFault(fault));
    else armTrigger(sim, system, fault.on, due, attempt);
  }
}

function targetsRole(fault: FaultEvent): boolean {
  return Object.values(fault).some(
    (value) =>
      (typeof value === 'string' && value.startsWith('@')) ||
      (Array.isArray(value) && value.some((v) => String(v).startsWith('@'))),
  );
}

function scheduleWorkload(
  sim: Sim,
  system: BuiltSystem,
  ops: readonly WorkloadOp[],
  start: number,
  recorder: ReturnType<typeof createRecorder>,
): void {
  if (system.clients.length === 0 && ops.length > 0)
    throw new Error('the system has no client node to run the workload on');
  for (const op of ops) {
    const client = system.clients[op.id % system.clients.length] as string;
    sim.schedule(start + op.at, () => {
      const spec = { process: `${client}#${op.id}`, f: op.op, key: op.key, value: op.value ?? op.args ?? null };
      recorder
        .record(spec, () => system.call(op, client))
        .catch(() => {
          // recorded as fail/unknown; the workload goes on
        });
    });
  }
}

function countOperations(history: ReturnType<typeof createRecorder>['history']): OperationCounts {
  let total = 0;
  let ok = 0;
  let fail = 0;
  let unknown = 0;
  for (const event of history) {
    if (event.type === 'invoke') total++;
    else if (event.type === 'ok') ok++;
    else if (event.type === 'fail') fail++;
    else unknown++;
  }
  return { total, ok, fail, unknown: unknown + (total - ok - fail - unknown) };
}

/** Clients first, then the services' nodes in the system's order, then any other node. */
function orderNodes(sim: Sim, system: BuiltSystem): string[] {
  const ordered = [...system.clients, ...Object.values(system.services).flat()];
  for (const node of sim.nodes) ordered.push(node.name);
  return [...new Set(ordered)];
}
