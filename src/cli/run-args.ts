/**
 * `microcosm run [files…] [options]` (see {@link RUN_USAGE}), parsed strictly: an unknown flag or
 * a bad value is a {@link UsageError} naming it (with the closest flag for a typo).
 */
import { integerFlag as integer, parseFlags } from './flags.js';
import { DEFAULT_SHRINK_BUDGET } from '../scenarios/shrink.js';
import { UsageError } from './io.js';
import { parseGrep, parseShard, type Shard } from './select-tasks.js';

export const DEFAULT_SCENARIO_DIR = 'scenarios';

export interface RunArgs {
  readonly files: readonly string[];
  /** Run exactly this seed. */
  readonly seed?: number;
  /** Sweep seeds 1..N (default: each scenario's own `seeds`). */
  readonly seeds?: number;
  readonly workers?: number;
  readonly shrink: boolean;
  /** Candidate runs each shrink may spend (default: the shrinker's). */
  readonly shrinkBudget?: number;
  readonly reportDir: string;
  readonly json: boolean;
  readonly scenario?: string;
  /** Only scenarios whose name matches (case-insensitive regular expression). */
  readonly grep?: RegExp;
  /** Print the runs that would run, and run nothing. */
  readonly list: boolean;
  /** Stop starting runs after the first failure. */
  readonly bail: boolean;
  /** Only the runs that failed in the report directory's last run. */
  readonly lastFailed: boolean;
  /** Seeds start at offset + 1 (a sweep's next batch). Default: 0. */
  readonly seedOffset: number;
  readonly shard?: Shard;
}

export const RUN_USAGE = `usage: microcosm run [files…] [options]

Runs every scenario in the files (default: every file in ${DEFAULT_SCENARIO_DIR}/) for each seed.

options:
  --seed N          run exactly seed N (reproduce a run)
  --seeds N         sweep seeds 1..N (default: the scenario's own count)
  --workers K       worker threads (default: one per core, up to the number of runs)
  --shrink          shrink each violation to a minimal failing case (default)
  --no-shrink       report violations as found, without shrinking
  --shrink-budget N candidate runs each shrink may spend (default ${DEFAULT_SHRINK_BUDGET})
  --report DIR      where reports go (default: reports)
  --json            print one machine-readable JSON summary on stdout
  --scenario NAME   run only the scenario of that name
  --grep PATTERN    run only scenarios whose name matches (case-insensitive regular expression)
  --seed-offset N   sweep seeds N+1..N+count instead of 1..count (the next batch of a long hunt)
  --shard K/N       run the K-th of N disjoint slices of the runs (CI matrix; see microcosm merge)
  --last-failed     run only the runs that failed in the report directory's last run
  --bail            start no new run after the first failure
  --list            print the runs (scenario, seed, file) that would run, and run nothing
exit code: 0 if every scenario met its expectation, 1 if not, 2 on bad input`;

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const { values, positionals } = parseFlags(argv, {
    seed: { type: 'string' },
    seeds: { type: 'string' },
    workers: { type: 'string' },
    shrink: { type: 'boolean' },
    'no-shrink': { type: 'boolean' },
    'shrink-budget': { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    scenario: { type: 'string' },
    grep: { type: 'string' },
    'seed-offset': { type: 'string' },
    shard: { type: 'string' },
    'last-failed': { type: 'boolean' },
    bail: { type: 'boolean' },
    list: { type: 'boolean' },
  });
  if (values.seed !== undefined && values.seeds !== undefined)
    throw new UsageError('--seed and --seeds exclude each other: --seed N runs one seed, --seeds N sweeps 1..N');
  if (values.shrink && values['no-shrink']) throw new UsageError('--shrink and --no-shrink exclude each other');
  const seed = integer('--seed', values.seed, 0);
  const seeds = integer('--seeds', values.seeds, 1);
  const workers = integer('--workers', values.workers, 1);
  const shrinkBudget = integer('--shrink-budget', values['shrink-budget'], 1);
  if (shrinkBudget !== undefined && values['no-shrink'])
    throw new UsageError('--shrink-budget and --no-shrink exclude each other');
  const seedOffset = integer('--seed-offset', values['seed-offset'], 0) ?? 0;
  if (seed !== undefined && seedOffset !== 0)
    throw new UsageError('--seed and --seed-offset exclude each other: --seed N already names the one seed');
  return {
    files: positionals,
    ...(seed === undefined ? {} : { seed }),
    ...(seeds === undefined ? {} : { seeds }),
    ...(workers === undefined ? {} : { workers }),
    shrink: values['no-shrink'] !== true,
    ...(shrinkBudget === undefined ? {} : { shrinkBudget }),
    reportDir: values.report ?? 'reports',
    json: values.json === true,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(values.grep === undefined ? {} : { grep: parseGrep(values.grep) }),
    ...(values.shard === undefined ? {} : { shard: parseShard(values.shard) }),
    list: values.list === true,
    bail: values.bail === true,
    lastFailed: values['last-failed'] === true,
    seedOffset,
  };
}
