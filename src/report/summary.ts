/**
 * Aggregations over run results that several formatters share: per-scenario rows and the
 * machine-readable summary `microcosm run --json` prints.
 */
import { type HuntOutcome, huntOutcome } from '../scenarios/hunt.js';
import { type RunResult, violatedInvariants } from '../scenarios/result.js';

/** One line of `--json`: a scenario × seed. */
export interface SummaryEntry {
  readonly scenario: string;
  readonly seed: number;
  readonly verdict: 'passed' | 'failed';
  readonly outcome: RunResult['outcome'];
  readonly violated: readonly string[];
  readonly expectViolated?: string;
  readonly traceHash: string;
  readonly virtualMs: number;
  readonly wallMs: number;
  readonly replay: string;
  readonly shrunkTo?: { readonly faults: number; readonly ops: number; readonly replay: string };
  readonly error?: string;
}

export interface RunSummary {
  readonly passed: boolean;
  readonly total: number;
  readonly failed: number;
  readonly results: readonly SummaryEntry[];
}

export function summarize(results: readonly RunResult[]): RunSummary {
  const entries = results.map(toEntry);
  const failed = entries.filter((e) => e.verdict === 'failed').length;
  const huntsMissed = scenarioRows(results).filter((row) => row.hunt?.passed === false).length;
  return { passed: failed === 0 && huntsMissed === 0, total: entries.length, failed, results: entries };
}

function toEntry(result: RunResult): SummaryEntry {
  return {
    scenario: result.scenario,
    seed: result.seed,
    verdict: result.passed ? 'passed' : 'failed',
    outcome: result.outcome,
    violated: violatedInvariants(result),
    ...(result.expectViolated === undefined ? {} : { expectViolated: result.expectViolated }),
    traceHash: result.traceHash,
    virtualMs: result.virtualMs,
    wallMs: Math.round(result.wallMs),
    replay: result.replayCommand,
    ...(result.shrink === undefined
      ? {}
      : {
          shrunkTo: {
            faults: result.shrink.faultsAfter,
            ops: result.shrink.opsAfter,
            replay: result.shrink.minimal.replayCommand,
          },
        }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

/** Per scenario: how many seeds ran, passed and failed, which invariants broke, total times. */
export interface ScenarioRow {
  readonly scenario: string;
  readonly seeds: number;
  readonly passed: number;
  readonly failed: number;
  readonly violated: readonly string[];
  readonly expectViolated?: string;
  /** For a bug-hunt: how many seeds found it, and whether that was enough. */
  readonly hunt?: HuntOutcome;
  readonly virtualMs: number;
  readonly wallMs: number;
  /** The first failing run (the one to look at), if any. */
  readonly firstFailure?: RunResult;
}

export function scenarioRows(results: readonly RunResult[]): ScenarioRow[] {
  const byScenario = new Map<string, RunResult[]>();
  for (const result of results) {
    const list = byScenario.get(result.scenario) ?? [];
    list.push(result);
    byScenario.set(result.scenario, list);
  }
  return [...byScenario].map(([scenario, runs]) => {
    const violated = [...new Set(runs.flatMap(violatedInvariants))].sort();
    const firstFailure = runs.find((r) => !r.passed);
    const expectViolated = runs[0]?.expectViolated;
    const hunt = huntOutcome(runs);
    return {
      scenario,
      seeds: runs.length,
      passed: runs.filter((r) => r.passed).length,
      failed: runs.filter((r) => !r.passed).length,
      violated,
      ...(expectViolated === undefined ? {} : { expectViolated }),
      ...(hunt === undefined ? {} : { hunt }),
      virtualMs: runs.reduce((sum, r) => sum + r.virtualMs, 0),
      wallMs: runs.reduce((sum, r) => sum + r.wallMs, 0),
      ...(firstFailure === undefined ? {} : { firstFailure }),
    };
  });
}
