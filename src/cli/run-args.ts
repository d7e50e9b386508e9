/**
 * `microcosm run [files…] [--seed N | --seeds N] [--workers K] [--shrink|--no-shrink]
 * [--report DIR] [--json] [--scenario NAME]`, parsed strictly: an unknown flag or a bad value is a
 * {@link UsageError} naming it.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './io.js';

export const DEFAULT_SCENARIO_DIR = 'scenarios';

export interface RunArgs {
  readonly files: readonly string[];
  /** Run exactly this seed. */
  readonly seed?: number;
  /** Sweep seeds 1..N (default: each scenario's own `seeds`). */
  readonly seeds?: number;
  readonly workers?: number;
  readonly shrink: boolean;
  readonly reportDir: string;
  readonly json: boolean;
  readonly scenario?: string;
}

export const RUN_USAGE = `usage: microcosm run [files…] [options]

Runs every scenario in the files (default: every file in ${DEFAULT_SCENARIO_DIR}/) for each seed.

options:
  --seed N          run exactly seed N (reproduce a run)
  --seeds N         sweep seeds 1..N (default: the scenario's own count)
  --workers K       worker threads (default: one per core, up to the number of runs)
  --shrink          shrink each violation to a minimal failing case (default)
  --no-shrink       report violations as found, without shrinking
  --report DIR      where reports go (default: reports)
  --json            print one machine-readable JSON summary on stdout
  --scenario NAME   run only the scenario of that name
exit code: 0 if every scenario met its expectation, 1 if not, 2 on bad input`;

export function parseRunArgs(argv: readonly string[]): RunArgs {
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  const config = {
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: 'string' },
      seeds: { type: 'string' },
      workers: { type: 'string' },
      shrink: { type: 'boolean' },
      'no-shrink': { type: 'boolean' },
      report: { type: 'string' },
      json: { type: 'boolean' },
      scenario: { type: 'string' },
    },
  } as const;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error));
  }
  const { values, positionals } = parsed;
  if (values.seed !== undefined && values.seeds !== undefined)
    throw new UsageError('--seed and --seeds exclude each other: --seed N runs one seed, --seeds N sweeps 1..N');
  if (values.shrink && values['no-shrink']) throw new UsageError('--shrink and --no-shrink exclude each other');
  const seed = integer('--seed', values.seed, 0);
  const seeds = integer('--seeds', values.seeds, 1);
  const workers = integer('--workers', values.workers, 1);
  return {
    files: positionals,
    ...(seed === undefined ? {} : { seed }),
    ...(seeds === undefined ? {} : { seeds }),
    ...(workers === undefined ? {} : { workers }),
    shrink: values['no-shrink'] !== true,
    reportDir: values.report ?? 'reports',
    json: values.json === true,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
  };
}

function integer(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag}: expected an integer ≥ ${min}, got "${text}"`);
  return value;
}
