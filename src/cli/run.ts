/**
 * `microcosm run`: start a warm run pool, load the scenario files (bad input exits 2 before any
 * run starts), sweep every scenario × seed on the pool, shrink the first violation of each
 * scenario on the same pool while the sweep goes on, print a summary table (or `--json`), write
 * the reports, and print the command that replays each failure.
 */
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { formatSummaryJson } from '../report/json.js';
import { writeReports } from '../report/write.js';
import { describeFault, formatMs } from '../scenarios/faults.js';
import { findScenarioFiles } from '../scenarios/load.js';
import { type RunResult, violatedInvariants } from '../scenarios/result.js';
import { createRunPool, defaultPoolSize, type RunPool } from '../scenarios/pool.js';
import { sweep } from '../scenarios/sweep.js';
import { type RunTask, scenariosOf } from '../scenarios/task.js';
import { type CliIo, UsageError } from './io.js';
import { progressReporter } from './progress.js';
import { DEFAULT_SCENARIO_DIR, parseRunArgs, type RunArgs } from './run-args.js';
import { summaryTable } from './table.js';

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseRunArgs(argv);
  const files = await scenarioFiles(args.files, io.cwd);
  // The workers boot and load the files while this thread loads and validates them too.
  const pool = createRunPool({ workers: args.workers ?? defaultPoolSize() });
  try {
    pool.preload(files);
    return await runOnPool(args, files, pool, io);
  } finally {
    await pool.close();
  }
}

async function runOnPool(
  args: RunArgs,
  files: readonly string[],
  pool: RunPool,
  io: CliIo,
): Promise<number> {
  const tasks: RunTask[] = [];
  for (const file of files) {
    const shown = relative(io.cwd, file) || file;
    const scenarios = (await scenariosOf(file)).filter((s) => args.scenario === undefined || s.name === args.scenario);
    for (const scenario of scenarios) {
      const seeds = args.seed !== undefined ? [args.seed] : range(1, args.seeds ?? scenario.seeds);
      for (const [i, seed] of seeds.entries())
        tasks.push({
          file: shown,
          path: file,
          scenario: scenario.name,
          seed,
          fileHoldsSeveral: scenarios.length > 1,
          shrink: false,
          reportDir: args.reportDir,
          sample: i === 0,
        });
    }
  }
  if (tasks.length === 0)
    throw new UsageError(
      args.scenario === undefined
        ? 'no scenarios found'
        : `no scenario named "${args.scenario}" in ${files.join(', ')}`,
    );
  const progress = progressReporter(io);
  const results = await sweep(tasks, {
    pool,
    shrinkFirst: args.shrink,
    onResult: progress.onResult,
    onShrink: (task) => io.err(`${io.tty ? '\n' : ''}shrinking ${task.scenario} seed ${task.seed} to a minimal failing case…\n`),
  });
  progress.end();
  const written = await writeReports(resolve(io.cwd, args.reportDir), results);
  const human = args.json ? io.err : io.out;
  human(`\n${summaryTable(results)}\n`);
  for (const result of results.filter((r) => !r.passed)) human(`\n${describeFailure(result)}\n`);
  for (const result of results.filter((r) => r.passed && r.shrink !== undefined).slice(0, 3))
    human(`\n${describeFoundBug(result)}\n`);
  const failed = results.filter((r) => !r.passed).length;
  human(
    `\n${failed === 0 ? 'all passed' : `${failed} of ${results.length} run(s) failed`}; reports in ${relative(io.cwd, written.dir) || '.'}/ (summary.md, junit.xml, summary.json)\n`,
  );
  if (args.json) io.out(`${formatSummaryJson(results)}\n`);
  return failed === 0 ? 0 : 1;
}

async function scenarioFiles(named: readonly string[], cwd: string): Promise<string[]> {
  if (named.length > 0) {
    const files: string[] = [];
    for (const name of named) {
      const path = resolve(cwd, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined) throw new UsageError(`no such scenario file or directory: ${name}`);
      files.push(...(info.isDirectory() ? await findScenarioFiles(path) : [path]));
    }
    return files;
  }
  const dir = join(cwd, DEFAULT_SCENARIO_DIR);
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory())
    throw new UsageError(`no files given and no ${DEFAULT_SCENARIO_DIR}/ directory in ${cwd}`);
  return findScenarioFiles(dir);
}

function describeFailure(result: RunResult): string {
  const lines = [`✗ ${result.scenario} — seed ${result.seed}`];
  if (result.outcome === 'error') lines.push(`  the run itself failed: ${(result.error ?? '').split('\n')[0]}`);
  else if (result.expectViolated !== undefined && !violatedInvariants(result).includes(result.expectViolated))
    lines.push(`  expected "${result.expectViolated}" to be violated, but it held`);
  for (const verdict of result.verdicts)
    for (const v of verdict.violations.slice(0, 3)) lines.push(`  ${v.invariant}: ${v.message}`);
  lines.push(...shrinkLines(result), `  replay: ${result.replayCommand}`, `  trace hash: ${result.traceHash}`);
  return lines.join('\n');
}

function describeFoundBug(result: RunResult): string {
  return [
    `✓ ${result.scenario} — seed ${result.seed} found the expected violation of "${result.expectViolated}"`,
    ...shrinkLines(result),
  ].join('\n');
}

function shrinkLines(result: RunResult): string[] {
  const shrink = result.shrink;
  if (shrink === undefined) return [];
  return [
    `  shrunk in ${shrink.runs} runs to ${shrink.faultsAfter} of ${shrink.faultsBefore} fault(s) and ${shrink.opsAfter} of ${shrink.opsBefore} operation(s):`,
    ...shrink.minimal.faults.map((f) => `    at ${formatMs(f.at)}: ${describeFault(f)}`),
    `  minimal replay: ${shrink.minimal.replayCommand}   (trace hash ${shrink.minimal.traceHash})`,
  ];
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
