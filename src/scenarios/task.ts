/**
 * One unit of a sweep: run scenario `scenario` of `file` for `seed`, and shrink it when it broke
 * an invariant. Plain data in, plain data out, so it runs the same in-process and in a worker.
 */
import { resolve } from 'node:path';
import { loadScenarioFile } from './load.js';
import type { RunResult } from './result.js';
import { type RunOverrides, runScenario } from './run.js';
import type { Scenario } from './scenario.js';
import { ScenarioError } from './scenario-error.js';
import { shrinkRun } from './shrink.js';
import { planWorkload } from './workload.js';

export interface RunTask {
  /** The file as the user named it (shown in replay commands). */
  readonly file: string;
  /** Where to load it from (absolute). Default: `file`. */
  readonly path?: string;
  readonly scenario: string;
  readonly seed: number;
  readonly fileHoldsSeveral: boolean;
  readonly shrink: boolean;
  readonly shrinkBudget?: number;
  readonly reportDir: string;
  /** Keep this run's timeline even if it passes (one sample per scenario). */
  readonly sample: boolean;
  readonly overrides?: RunOverrides;
}

const loaded = new Map<string, Promise<Scenario[]>>();

/** The scenarios of a file, loaded once per thread. */
export function scenariosOf(file: string): Promise<Scenario[]> {
  const key = resolve(file);
  let entry = loaded.get(key);
  if (entry === undefined) {
    entry = loadScenarioFile(file);
    loaded.set(key, entry);
  }
  return entry;
}

export async function findScenario(file: string, name: string): Promise<Scenario> {
  const scenarios = await scenariosOf(file);
  const scenario = scenarios.find((s) => s.name === name);
  if (scenario === undefined)
    throw new ScenarioError(
      `no scenario named "${name}"; the file defines: ${scenarios.map((s) => `"${s.name}"`).join(', ')}`,
      { file },
    );
  return scenario;
}

export async function executeTask(task: RunTask): Promise<RunResult> {
  const scenario = await findScenario(task.path ?? task.file, task.scenario);
  const common = { file: task.file, fileHoldsSeveral: task.fileHoldsSeveral, reportDir: task.reportDir };
  const result = await runScenario(scenario, task.seed, {
    ...common,
    ...(task.overrides === undefined ? {} : { overrides: task.overrides }),
    timeline: task.sample ? 'always' : 'on-violation',
  });
  if (!task.shrink || result.outcome !== 'violated') return result;
  const ops = task.overrides?.ops ?? planWorkload(scenario.workload, task.seed, scenario.durationMs);
  const shrink = await shrinkRun(scenario, result, ops, {
    ...common,
    ...(task.shrinkBudget === undefined ? {} : { budget: task.shrinkBudget }),
  });
  return shrink === undefined ? result : { ...result, shrink };
}
