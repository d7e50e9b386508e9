// bench/sweep: what `npx microcosm run --seeds 20 --workers 2` does, timed: every shipped scenario
// (scenarios/*.yaml) × seeds 1..N on a warm run pool of W workers (created before the files load,
// as the CLI does), then the smallest violation of each scenario shrunk on the same pool. Prints wall and
// CPU time (process.cpuUsage covers the worker threads) and the load average, since the machine
// is shared. Last line: `sweep: X seed-runs/min` (wall; shrink runs included in the time, not in
// the count). `--seeds N` (default 20), `--workers W` (default 2).
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createRunPool,
  findScenarioFiles,
  loadScenarioFile,
  type RunResult,
  type RunTask,
  shrinkOnPool,
  sweep,
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
const pool = createRunPool({ workers });
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
  results = await sweep(tasks, { pool });
  // As the CLI picks them: per scenario, the violation with the fewest faults, operations, seed.
  const smallest = new Map<string, number>();
  const smaller = (a: RunResult, b: RunResult) =>
    a.faults.length - b.faults.length || a.operations.total - b.operations.total || a.seed - b.seed;
  results.forEach((r, i) => {
    const best = smallest.get(r.scenario);
    if (r.outcome === 'violated' && (best === undefined || smaller(r, results[best] as RunResult) < 0))
      smallest.set(r.scenario, i);
  });
  await Promise.all(
    [...smallest.values()].map(async (i) => {
      const shrink = await shrinkOnPool(pool, tasks[i] as RunTask, results[i] as RunResult);
      if (shrink !== undefined) results[i] = { ...(results[i] as RunResult), shrink };
    }),
  );
} finally {
  await pool.close();
}
const wallS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuS = (cpu.user + cpu.system) / 1e6;
const shrinkRuns = results.reduce((sum, r) => sum + (r.shrink?.runs ?? 0), 0);
const failed = results.filter((r) => !r.passed);
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
console.log(`per CPU-minute: ${(tasks.length / (cpuS / 60)).toFixed(0)} seed-runs`);
console.log(`sweep: ${(tasks.length / (wallS / 60)).toFixed(0)} seed-runs/min`);
