// bench/sweep: what `npx microcosm run --seeds 20 --workers 2` does, timed: every shipped scenario
// (scenarios/*.yaml) × seeds 1..N on a warm run pool of W workers (created before the files load,
// as the CLI does), each scenario's smallest violation shrunk on the same pool as soon as its seeds
// are in (sweepAndShrink, the CLI's own code path). Prints each scenario's summed run time (wall
// inside the workers) and shrink runs, then wall and CPU time (process.cpuUsage covers the worker
// threads) and the load average, since the machine is shared. Last line: `sweep: X seed-runs/min` (wall; shrink runs included in the time, not in
// the count). `--seeds N` (default 20), `--workers W` (default 2).
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createRunPool,
  findScenarioFiles,
  loadScenarioFile,
  type RunPool,
  type RunResult,
  type RunTask,
  sweepAndShrink,
} from '@microcosm-ts/core/sim';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: expected a positive integer, got ${process.argv[at + 1]}`);
  return value;
};
const seeds = flag('--seeds', 20);
const workers = flag('--workers', 2);
const root = join(import.meta.dirname, '..');

const cpuBefore = process.cpuUsage();
const started = performance.now();
const workerPool = createRunPool({ workers });
// Runs the workers actually finished (sweep runs, shrink candidates, speculative ones included).
let executed = 0;
const pool: RunPool = {
  ...workerPool,
  run: async (job, options) => {
    const result = await workerPool.run(job, options);
    executed++;
    return result;
  },
};
const files = await findScenarioFiles(join(root, 'scenarios'));
pool.preload(files);
const tasks: RunTask[] = [];
for (const path of files)
  for (const scenario of await loadScenarioFile(path))
    for (let seed = 1; seed <= seeds; seed++)
      tasks.push({
        file: relative(root, path),
        path,
        scenario: scenario.name,
        seed,
        fileHoldsSeveral: false,
        shrink: false,
        reportDir: 'reports',
        sample: seed === 1,
      });
let results: RunResult[];
try {
  results = await sweepAndShrink(tasks, { pool });
} finally {
  await pool.close();
}
const wallS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuS = (cpu.user + cpu.system) / 1e6;
const shrinkRuns = results.reduce((sum, r) => sum + (r.shrink?.runs ?? 0), 0);
const failed = results.filter((r) => !r.passed);
for (const scenario of new Set(results.map((r) => r.scenario))) {
  const runs = results.filter((r) => r.scenario === scenario);
  const ms = runs.reduce((sum, r) => sum + r.wallMs, 0);
  const shrink = runs.find((r) => r.shrink !== undefined)?.shrink;
  console.log(
    `  ${scenario}: ${(ms / runs.length).toFixed(0)} ms/run${shrink ? `; shrunk in ${shrink.runs} runs${shrink.stoppedAtBudget ? ' (the budget)' : ''}` : ''}`,
  );
}
console.log(
  `${files.length} scenarios × ${seeds} seeds = ${tasks.length} seed-runs + ${shrinkRuns} shrink runs on ${workers} workers: ` +
    `${wallS.toFixed(1)} s wall, ${cpuS.toFixed(1)} s CPU; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
console.log(
  failed.length === 0
    ? 'every scenario met its expectation'
    : `failed: ${failed.map((r) => `${r.scenario} seed ${r.seed}`).join(', ')}`,
);
console.log(`runs the workers finished: ${executed}`);
console.log(`per CPU-minute: ${(tasks.length / (cpuS / 60)).toFixed(0)} seed-runs`);
console.log(`sweep: ${(tasks.length / (wallS / 60)).toFixed(0)} seed-runs/min`);
