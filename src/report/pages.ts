/**
 * Which runs get pages of their own (`<base>.html` + `<base>.json`, and `-min.*` for a shrunk
 * one), and under which names: failures, found bugs, and every run that kept a timeline (one
 * sample per scenario). The formatters link these pages, so the rule lives in one place.
 */
import { reportBaseName } from '../scenarios/replay-command.js';
import type { RunResult } from '../scenarios/result.js';

/** A run's page names, relative to the report directory. */
export interface RunPages {
  readonly html: string;
  readonly json: string;
  /** The minimal failing run's pages, when the run was shrunk. */
  readonly minimal?: { readonly html: string; readonly json: string };
}

/** Names a run's pages, or undefined when it gets none. */
export type PageOf = (result: RunResult) => RunPages | undefined;

export const keptPages: PageOf = (result) => {
  if (result.timeline === undefined && result.passed && result.shrink === undefined) return undefined;
  const base = reportBaseName(result.scenario, result.seed);
  const minimal = result.shrink?.minimal;
  const minBase = minimal === undefined ? undefined : reportBaseName(minimal.scenario, minimal.seed, true);
  return {
    html: `${base}.html`,
    json: `${base}.json`,
    ...(minBase === undefined ? {} : { minimal: { html: `${minBase}.html`, json: `${minBase}.json` } }),
  };
};
