/**
 * `microcosm run`: start a warm run pool, load the scenario files (bad input exits 2 before any
 * run starts), sweep every scenario × seed on the pool, shrink the smallest violation of each
 * scenario on the same pool as soon as its seeds are in, while the sweep goes on
 * ({@link sweepAndShrink}), print a summary table (or `--json`), write the reports, and print the
 * command that replays each failure.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { formatSummaryJson } from '../report/json.js';
import { parseRunsFile } from '../report/runs-file.js';
import { scenarioRows } from '../report/summary.js';
import { writeReports } from '../report/write.js';
import { describeFault, formatMs } from '../scenarios/faults.js';
import { describeHitRate, foundExpected } from '../scenarios/hunt.js';
import { findScenarioFiles } from '../scenarios/load.js';
import { createRunPool, defaultPoolSize, type RunPool } from '../scenarios/pool.js';
import type { RunResult } from '../scenarios/result.js';
import { sweep } from '../scenarios/sweep.js';
import { shrinkTarget, sweepAndShrink } from '../scenarios/sweep-shrink.js';
import { type RunTask, scenariosOf, shrinkOnPool } from '../scenarios/task.js';
import { type CliIo, UsageError } from './io.js';
import { progressReporter } from './progress.js';
import { DEFAULT_SCENARIO_DIR, parseRunArgs, type RunArgs } from './run-args.js';
import { runKey, selectTasks } from './select-tasks.js';
import { summaryTable } from './table.js';

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseRunArgs(argv);
  const files = await scenarioFiles(args.files, io.cwd);
  // The workers boot and load the files while this thread loads and validates them too.
  const pool = createRunPool({ workers: args.list ? 1 : (args.workers ?? defaultPoolSize()) });
  try {
    pool.preload(files);
    return await runOnPool(args, files, pool, io);
  } finally {
    await pool.close();
  }
}

async function runOnPool(args: RunArgs, files: readonly string[], pool: RunPool, io: CliIo): Promise<number> {
  const tasks: RunTask[] = [];
  for (const file of files) {
    const shown = relative(io.cwd, file) || file;
    const scenarios = (await scenariosOf(file)).filter((s) => args.scenario === undefined || s.name === args.scenario);
    for (const scenario of scenarios) {
      const seeds = args.seed !== undefined ? [args.seed] : range(1 + args.seedOffset, args.seeds ?? scenario.seeds);
      for (const [i, seed] of seeds.entries())
        tasks.push({
          file: shown,
          path: file,
          scenario: scenario.name,
          seed,
          fileHoldsSeveral: scenarios.length > 1,
          shrink: false,
          ...(args.shrinkBudget === undefined ? {} : { shrinkBudget: args.shrinkBudget }),
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
  if (args.grep !== undefined && !tasks.some((task) => args.grep?.test(task.scenario)))
    throw new UsageError(
      `--grep ${args.grep.source}: no scenario name matches (the scenarios: ${[...new Set(tasks.map((t) => t.scenario))].join(', ')})`,
    );
  const only = args.lastFailed ? await lastFailures(resolve(io.cwd, args.reportDir)) : undefined;
  const selected = selectTasks(tasks, {
    ...(args.grep === undefined ? {} : { grep: args.grep }),
    ...(only === undefined ? {} : { only }),
    ...(args.shard === undefined ? {} : { shard: args.shard }),
  });
  if (args.list) {
    for (const { task } of selected) io.out(`${task.scenario}\tseed ${task.seed}\t${task.file}\n`);
    io.err(
      `${selected.length} run(s)${args.shard ? ` in shard ${args.shard.index}/${args.shard.count}` : ''} of ${tasks.length}\n`,
    );
    return 0;
  }
  if (only !== undefined && only.size === 0) io.err('--last-failed: nothing failed in the last run\n');
  const chosen = selected.map((s) => s.task);
  const progress = progressReporter(io);
  const onShrink = (task: RunTask) =>
    io.err(`${io.tty ? '\n' : ''}shrinking ${task.scenario} seed ${task.seed} to a minimal failing case…\n`);
  let results: RunResult[];
  if (args.bail) {
    results = await sweepUntilFailure(chosen, pool, progress.onResult, io);
    progress.end();
    if (args.shrink) await shrinkFirstViolations(chosen, results, pool, onShrink);
  } else {
    results = await sweepAndShrink(chosen, { pool, shrink: args.shrink, onResult: progress.onResult, onShrink });
    progress.end();
  }
  const written = await writeReports(resolve(io.cwd, args.reportDir), results, {
    order: selected.slice(0, results.length).map((s) => s.order),
  });
  const human = args.json ? io.err : io.out;
  human(`\n${summaryTable(results)}\n`);
  for (const result of results.filter((r) => !r.passed)) human(`\n${describeFailure(result)}\n`);
  for (const result of results.filter((r) => r.passed && foundExpected(r) && r.shrink !== undefined).slice(0, 3))
    human(`\n${describeFoundBug(result)}\n`);
  const failed = results.filter((r) => !r.passed).length;
  const missed = scenarioRows(results).filter((row) => row.hunt?.passed === false);
  for (const row of missed)
    human(
      `\n✗ ${row.scenario} — expected "${row.expectViolated}" to be violated in at least ${row.hunt?.minSeeds} seed(s); ${row.hunt ? describeHitRate(row.hunt) : ''}\n`,
    );
  const verdict =
    failed === 0 && missed.length === 0
      ? 'all passed'
      : [
          ...(failed === 0 ? [] : [`${failed} of ${results.length} run(s) failed`]),
          ...(missed.length === 0 ? [] : [`${missed.length} bug-hunt(s) found too little`]),
        ].join(', ');
  human(
    `\n${verdict}; reports in ${relative(io.cwd, written.dir) || '.'}/ (index.html, summary.md, junit.xml, summary.json)\n`,
  );
  if (args.json) io.out(`${formatSummaryJson(results)}\n`);
  return failed === 0 && missed.length === 0 ? 0 : 1;
}

/** After a `--bail` sweep: shrink each scenario's smallest violation (in parallel, on the pool). */
async function shrinkFirstViolations(
  tasks: readonly RunTask[],
  results: RunResult[],
  pool: RunPool,
  onShrink: (task: RunTask) => void,
): Promise<void> {
  const scenarios = new Set(results.map((r) => r.scenario));
  await Promise.all(
    [...scenarios].map(async (scenario) => {
      const target = shrinkTarget(results.filter((r) => r.scenario === scenario));
      if (target === undefined) return;
      const index = results.indexOf(target);
      onShrink(tasks[index] as RunTask);
      const shrink = await shrinkOnPool(pool, tasks[index] as RunTask, target);
      if (shrink !== undefined) results[index] = { ...target, shrink };
    }),
  );
}

/** `--bail`: sweep a pool-sized batch at a time, and start no batch after one that failed. */
async function sweepUntilFailure(
  tasks: readonly RunTask[],
  pool: RunPool,
  onResult: (result: RunResult, done: number, total: number) => void,
  io: CliIo,
): Promise<RunResult[]> {
  const batch = pool.size;
  const results: RunResult[] = [];
  for (let from = 0; from < tasks.length; from += batch) {
    const done = results.length;
    results.push(
      ...(await sweep(tasks.slice(from, from + batch), {
        pool,
        onResult: (result, i) => onResult(result, done + i, tasks.length),
      })),
    );
    if (results.some((r) => !r.passed)) {
      if (results.length < tasks.length)
        io.err(`--bail: stopped after the first failure; ${tasks.length - results.length} run(s) not started\n`);
      break;
    }
  }
  return results;
}

/** The (scenario, seed) runs that failed in the last run written to `dir`. */
async function lastFailures(dir: string): Promise<ReadonlySet<string>> {
  const where = join(dir, 'runs.json');
  const text = await readFile(where, 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(`--last-failed: no previous run in ${dir} (runs.json is missing)`);
  const file = (() => {
    try {
      return parseRunsFile(text, where);
    } catch (error) {
      throw new UsageError(`--last-failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  })();
  return new Set(file.runs.filter((r) => !r.result.passed).map((r) => runKey(r.result.scenario, r.result.seed)));
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
    `  shrunk in ${shrink.runs} runs to ${shrink.faultsAfter} of ${shrink.faultsBefore} fault(s) and ${shrink.opsAfter} of ${shrink.opsBefore} operation(s)${shrink.stoppedAtBudget === undefined ? '' : ` (stopped at the budget of ${shrink.stoppedAtBudget} runs; --shrink-budget N for more)`}:`,
    ...shrink.minimal.faults.map((f) => `    at ${formatMs(f.at)}: ${describeFault(f)}`),
    `  minimal replay: ${shrink.minimal.replayCommand}   (trace hash ${shrink.minimal.traceHash})`,
  ];
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
