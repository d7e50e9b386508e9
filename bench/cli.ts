// bench/cli: what a user's install and command line cost. The packed tarball's file count and the
// installed size of the core alone (a fresh project installing the tarball, no plugin clients);
// `microcosm check` on 100 generated histories, as checker time against the command's wall time;
// and, last, the start of `microcosm help` (plain node on dist/, median of 5):
// `cli: N ms` (the goal: ≤ 300 ms), after the same command through tsx on the sources (how
// the bin ran before the build) and their ratio.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatHistory, generateHistory } from '@microcosm-ts/core/sim';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'microcosm.js');
const work = mkdtempSync(join(tmpdir(), 'microcosm-bench-cli-'));

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall milliseconds of one command, median of `times` (`viaSources`: the old way, tsx on src/). */
function timed(args: readonly string[], times: number, viaSources = false): number {
  const sources = `const { main } = await import(${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}); process.exitCode = await main(${JSON.stringify(args)});`;
  const argv =
    args.length === 0
      ? ['-e', '0']
      : viaSources
        ? ['--import', 'tsx', '--input-type=module', '-e', sources]
        : [bin, ...args];
  const env = { ...process.env, TSX_TSCONFIG_PATH: undefined };
  const walls: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: root, env });
    walls.push(performance.now() - started);
    if (run.status !== 0 && run.status !== 1) throw new Error(`microcosm ${args.join(' ')}: ${run.stderr}`);
  }
  return median(walls);
}

try {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as [{ filename: string; entryCount: number; size: number }];
  const [info] = packed;
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'bench-user', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info.filename)], {
    cwd: work,
    stdio: 'ignore',
  });
  const installed = sizeOf(join(work, 'node_modules'));
  console.log(
    `tarball: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} KiB; ` +
      `installed core (no plugin clients): ${(installed / 1024 / 1024).toFixed(1)} MB in node_modules`,
  );

  // 100 kv histories of 200 operations each, as JSON lines.
  const files: string[] = [];
  for (let seed = 1; seed <= 100; seed++) {
    const file = join(work, `history-${seed}.jsonl`);
    writeFileSync(file, formatHistory(generateHistory({ seed, operations: 200, keys: 4 }), 'json'));
    files.push(file);
  }
  const started = performance.now();
  const check = spawnSync(process.execPath, [bin, 'check', ...files, '--model', 'kv', '--json'], { encoding: 'utf8' });
  const wall = performance.now() - started;
  if (check.status !== 0) throw new Error(`microcosm check: exit ${check.status}\n${check.stderr}`);
  const checkerMs = check.stdout
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + (JSON.parse(line) as { ms: number }).ms, 0);
  console.log(
    `check: 100 histories in ${wall.toFixed(0)} ms wall, of which ${checkerMs.toFixed(0)} ms checking ` +
      `(start-up and reading ${(wall - checkerMs).toFixed(0)} ms)`,
  );

  console.log(`node -e 0 (the floor on this machine now): ${timed([], 5).toFixed(0)} ms (median of 5)`);
  console.log(`--version: ${timed(['--version'], 5).toFixed(0)} ms (median of 5)`);
  const before = timed(['help'], 5, true);
  const after = timed(['help'], 5);
  console.log(`help through tsx on the sources (the old bin, warm cache): ${before.toFixed(0)} ms (median of 5)`);
  console.log(`ratio: ${(before / after).toFixed(2)}`);
  console.log(`cli: ${after.toFixed(0)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
