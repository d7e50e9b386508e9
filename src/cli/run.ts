/**
 * `microcosm run`: load the scenario files (bad input exits 2 before anything runs), sweep every
 * scenario × seed over worker threads, shrink violations, print a summary table (or `--json`),
 * write the reports, and print the command that replays each failure.
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
import type { RunResult } from '../scenarios/result.js';
import { defaultWorkers, sweep } from '../scenarios/sweep.js';
import { type RunTask, scenariosOf } from '../scenarios/task.js';
import { type CliIo, UsageError } from './io.js';
import { progressReporter } from './progress.js';
import { DEFAULT_SCENARIO_DIR, parseRunArgs } from './run-args.js';
import { runKey, selectTasks } from './select-tasks.js';
import { summaryTable } from './table.js';

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseRunArgs(argv);
  const files = await scenarioFiles(args.files, io.cwd);
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
  const workers = args.workers === undefined ? {} : { workers: args.workers };
  const results = args.bail
    ? await sweepUntilFailure(chosen, workers, progress.onResult, io)
    : await sweep(chosen, { ...workers, onResult: progress.onResult });
  progress.end();
  if (args.shrink) await shrinkFirstViolations(chosen, results, workers, io);
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

/**
 * Shrink the smallest violating seed of each scenario (fewest faults, then fewest operations),
 * in parallel across scenarios: one minimal case per bug is what a person reads, and the
 * smallest failure shrinks fastest and furthest.
 */
async function shrinkFirstViolations(
  tasks: readonly RunTask[],
  results: RunResult[],
  workers: { readonly workers?: number },
  io: CliIo,
): Promise<void> {
  const firsts = new Map<string, number>();
  const size = (r: RunResult) => [r.faults.length, r.operations.total, r.seed] as const;
  const smaller = (a: RunResult, b: RunResult) => {
    const [x, y] = [size(a), size(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  results.forEach((result, index) => {
    if (result.outcome !== 'violated' || foundExpected(result) === false) return;
    const best = firsts.get(result.scenario);
    if (best === undefined || smaller(result, results[best] as RunResult) < 0) firsts.set(result.scenario, index);
  });
  if (firsts.size === 0) return;
  const indexes = [...firsts.values()];
  io.err(
    `shrinking ${indexes.length} violation(s) to minimal failing cases (each replays the run up to its shrink budget)…\n`,
  );
  const shrunk = await sweep(
    indexes.map((i) => ({ ...(tasks[i] as RunTask), shrink: true })),
    {
      ...workers,
      onResult: (result, done, total) =>
        io.err(
          `shrunk ${done}/${total}: ${result.scenario} seed ${result.seed}${result.shrink ? ` in ${result.shrink.runs} runs to ${result.shrink.faultsAfter} fault(s), ${result.shrink.opsAfter} operation(s)` : ''} (${Math.round(result.wallMs)} ms)\n`,
        ),
    },
  );
  indexes.forEach((index, i) => {
    results[index] = shrunk[i] as RunResult;
  });
}

/** `--bail`: sweep a pool-sized batch at a time, and start no batch after one that failed. */
async function sweepUntilFailure(
  tasks: readonly RunTask[],
  workers: { readonly workers?: number },
  onResult: (result: RunResult, done: number, total: number) => void,
  io: CliIo,
): Promise<RunResult[]> {
  const batch = Math.max(1, workers.workers ?? defaultWorkers(tasks.length));
  const results: RunResult[] = [];
  for (let from = 0; from < tasks.length; from += batch) {
    const done = results.length;
    results.push(
      ...(await sweep(tasks.slice(from, from + batch), {
        ...workers,
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
    `  shrunk in ${shrink.runs} runs to ${shrink.faultsAfter} of ${shrink.faultsBefore} fault(s) and ${shrink.opsAfter} of ${shrink.opsBefore} operation(s):`,
    ...shrink.minimal.faults.map((f) => `    at ${formatMs(f.at)}: ${describeFault(f)}`),
    `  minimal replay: ${shrink.minimal.replayCommand}   (trace hash ${shrink.minimal.traceHash})`,
  ];
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
