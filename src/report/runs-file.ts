/**
 * `runs.json`: every run of a report directory (without timelines), its position in the whole
 * run and the names of its pages — what `microcosm merge` joins shard directories from.
 */
import type { RunResult } from '../scenarios/result.js';
import type { RunPages } from './pages.js';

export const RUNS_FORMAT_VERSION = 1;

export interface RunEntry {
  /** Position in the whole (unsharded) run: merged shards sort back into this order. */
  readonly order: number;
  readonly result: RunResult;
  readonly pages?: RunPages;
}

export interface RunsFile {
  readonly format: 'microcosm-runs';
  readonly version: typeof RUNS_FORMAT_VERSION;
  readonly runs: readonly RunEntry[];
}

export function formatRunsFile(runs: readonly RunEntry[]): string {
  const file: RunsFile = { format: 'microcosm-runs', version: RUNS_FORMAT_VERSION, runs };
  return `${JSON.stringify(file)}\n`;
}

/** Parse a `runs.json`; throws naming what is wrong. */
export function parseRunsFile(text: string, where: string): RunsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const file = json as Partial<RunsFile> | null;
  if (file?.format !== 'microcosm-runs')
    throw new Error(`${where}: expected a microcosm runs file (format: microcosm-runs)`);
  if (file.version !== RUNS_FORMAT_VERSION)
    throw new Error(`${where}: runs file version ${String(file.version)}, this microcosm reads ${RUNS_FORMAT_VERSION}`);
  if (!Array.isArray(file.runs)) throw new Error(`${where}: runs: expected a list`);
  for (const [i, run] of file.runs.entries())
    if (
      typeof run?.order !== 'number' ||
      typeof run?.result?.scenario !== 'string' ||
      typeof run.result.seed !== 'number'
    )
      throw new Error(`${where}: runs[${i}]: expected { order, result: { scenario, seed, … } }`);
  return file as RunsFile;
}
