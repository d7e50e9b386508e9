/**
 * One run as a pool hands it out: which scenario of which file, which seed, which overrides.
 * Plain data in, a plain {@link RunResult} out, so it runs the same in this thread and in a
 * worker; the scenarios of a file are loaded once per thread and kept.
 */
import { resolve } from 'node:path';
import { loadScenarioFile } from './load.js';
import type { RunResult } from './result.js';
import { type RunOptions, type RunOverrides, runScenario } from './run.js';
import type { Scenario } from './scenario.js';
import { ScenarioError } from './scenario-error.js';

export interface RunJob {
  /** The file as the user named it (shown in replay commands). */
  readonly file: string;
  /** Where to load it from (absolute). Default: `file`. */
  readonly path?: string;
  readonly scenario: string;
  readonly seed: number;
  readonly fileHoldsSeveral: boolean;
  readonly reportDir: string;
  /** Default 'on-violation'. */
  readonly timeline?: RunOptions['timeline'];
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

export async function runJob(job: RunJob): Promise<RunResult> {
  const scenario = await findScenario(job.path ?? job.file, job.scenario);
  return runScenario(scenario, job.seed, {
    file: job.file,
    fileHoldsSeveral: job.fileHoldsSeveral,
    reportDir: job.reportDir,
    timeline: job.timeline ?? 'on-violation',
    ...(job.overrides === undefined ? {} : { overrides: job.overrides }),
  });
}
