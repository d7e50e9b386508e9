/**
 * JSON reports: the complete run result (replayable: its `replay` field is exactly what
 * `microcosm replay` feeds back to the runner) and the `--json` summary.
 */
import type { RunResult } from '../scenarios/result.js';
import { summarize } from './summary.js';

export const REPORT_FORMAT_VERSION = 1;

/** A run report file: one scenario × seed, complete. */
export interface RunReportFile {
  readonly format: 'microcosm-run';
  readonly version: typeof REPORT_FORMAT_VERSION;
  readonly result: RunResult;
}

export function formatRunJson(result: RunResult): string {
  const file: RunReportFile = { format: 'microcosm-run', version: REPORT_FORMAT_VERSION, result };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The machine-readable summary of a whole `microcosm run`, one line of JSON. */
export function formatSummaryJson(results: readonly RunResult[]): string {
  return JSON.stringify(summarize(results));
}
