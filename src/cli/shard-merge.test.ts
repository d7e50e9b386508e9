import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { main } from './main.js';

const SYSTEM = join(import.meta.dirname, '..', 'scenarios', 'test-system.ts');
const counter = (name: string, durable: boolean) => `name: ${name}
system: { module: ${SYSTEM}, export: counterSystem, options: { durable: ${durable} } }
workload: [{ op: inc, rate: 40/s }]
faults: [at 500ms crash counter for 200ms]
invariants: [acked-not-lost]
duration: 1s
seeds: 3
`;

async function microcosm(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), tty: false, cwd };
  return { code: await main(argv, io), out, err };
}

const runsOf = async (dir: string) =>
  JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')).results.map(
    (r: { scenario: string; seed: number; traceHash: string; verdict: string }) =>
      `${r.scenario} ${r.seed} ${r.traceHash} ${r.verdict}`,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microcosm-shard-'));
  await mkdir(join(dir, 'scenarios'));
  await writeFile(join(dir, 'scenarios', 'durable.yaml'), counter('durable counter', true));
  await writeFile(join(dir, 'scenarios', 'volatile.yaml'), counter('volatile counter', false));
});

describe('microcosm run --shard and microcosm merge', () => {
  it('shards 1/2 and 2/2 together are the unsharded run, hash for hash, and merge into one report', async () => {
    const common = ['--no-shrink', '--workers', '1'];
    const whole = await microcosm(dir, 'run', ...common, '--report', 'whole');
    const one = await microcosm(dir, 'run', ...common, '--shard', '1/2', '--report', 'shard-1');
    const two = await microcosm(dir, 'run', ...common, '--shard', '2/2', '--report', 'shard-2');
    expect([whole.code, one.code, two.code]).toEqual([1, 1, 1]);
    const [a, b] = [await runsOf(join(dir, 'shard-1')), await runsOf(join(dir, 'shard-2'))];
    expect(a.length + b.length).toBe(6);
    expect(a.filter((x: string) => b.includes(x))).toEqual([]);

    const merged = await microcosm(dir, 'merge', 'shard-1', 'shard-2', '--report', 'merged');
    expect(merged.code).toBe(1);
    expect(merged.out).toContain('merged 2 report(s), 6 run(s)');
    expect(await runsOf(join(dir, 'merged'))).toEqual(await runsOf(join(dir, 'whole')));
    const index = await readFile(join(dir, 'merged', 'index.html'), 'utf8');
    for (const seed of [1, 2, 3]) {
      expect(index).toContain(`href="volatile-counter-seed${seed}.html"`);
      expect(existsSync(join(dir, 'merged', `volatile-counter-seed${seed}.html`))).toBe(true);
    }
    expect(await readFile(join(dir, 'merged', 'junit.xml'), 'utf8')).toMatch(/<testsuites name="microcosm" tests="6"/);
  });

  it('refuses to merge a directory twice, or one that holds no report (exit 2)', async () => {
    const twice = await microcosm(dir, 'merge', 'shard-1', 'shard-1', '--report', 'merged-twice');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('is in both shard-1 and shard-1');
    const none = await microcosm(dir, 'merge', 'scenarios');
    expect(none.code).toBe(2);
    expect(none.err).toContain("scenarios: not a run's report directory (no runs.json)");
  });
});

describe('microcosm run: choosing runs', () => {
  it('--list prints the runs of a shard and runs nothing; --grep and --seed-offset choose them', async () => {
    const listed = await microcosm(dir, 'run', '--list', '--grep', '^vola', '--seed-offset', '10', '--shard', '1/2');
    expect(listed.code).toBe(0);
    expect(listed.out.trim().split('\n')).toEqual([
      'volatile counter\tseed 11\tscenarios/volatile.yaml',
      'volatile counter\tseed 13\tscenarios/volatile.yaml',
    ]);
    expect(listed.err).toContain('2 run(s) in shard 1/2 of 6');
  });

  it('--last-failed reruns only what failed last time; --bail stops after the first failure', async () => {
    const again = await microcosm(dir, 'run', '--last-failed', '--report', 'whole', '--no-shrink', '--workers', '1');
    expect(again.code).toBe(1);
    const rerun = await runsOf(join(dir, 'whole'));
    expect(rerun.length).toBeGreaterThan(0);
    expect(rerun.every((r: string) => r.startsWith('volatile counter') && r.endsWith('failed'))).toBe(true);
    const bail = await microcosm(
      dir,
      'run',
      'scenarios/volatile.yaml',
      '--bail',
      '--no-shrink',
      '--workers',
      '1',
      '--report',
      'bail',
    );
    expect(bail.code).toBe(1);
    expect(bail.err).toMatch(/--bail: stopped after the first failure; [12] run\(s\) not started/);
  });

  it('offers the closest flag and command for a typo, exit 2', async () => {
    const flag = await microcosm(dir, 'run', '--shrad', '1/2');
    expect(flag.code).toBe(2);
    expect(flag.err).toContain(`Unknown option '--shrad' — did you mean "--shard"?`);
    const command = await microcosm(dir, 'mrege');
    expect(command.code).toBe(2);
    expect(command.err).toContain('unknown command "mrege" — did you mean "merge"?');
    expect((await microcosm(dir, 'run', '--shard', '3/2')).err).toContain('--shard: expected k/n with 1 ≤ k ≤ n');
    expect((await microcosm(dir, 'run', '--grep', 'nothing-like-it')).code).toBe(2);
  });
});
