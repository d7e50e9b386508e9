import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { main } from './main.js';

const SYSTEM = join(import.meta.dirname, '..', 'scenarios', 'test-system.ts');
const counter = (name: string, durable: boolean, extra = '') => `name: ${name}
system: { module: ${SYSTEM}, export: counterSystem, options: { durable: ${durable} } }
workload: [{ op: inc, rate: 40/s }]
faults: [at 1s crash counter for 200ms]
invariants: [acked-not-lost]
duration: 2s
seeds: 2
${extra}`;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'microcosm-cli-'));
  await mkdir(join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'scenarios', name), text);
  return dir;
}

async function microcosm(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), tty: false, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('microcosm run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project({
      'durable.yaml': counter('durable counter', true),
      'hunt.yaml': counter('volatile counter bug-hunt', false, 'expect: { violated: acked-not-lost }\n'),
    });
  });

  it('with no arguments runs every file in scenarios/, prints a table, writes reports and exits 0', async () => {
    const { code, out, err } = await microcosm(dir, 'run', '--workers', '1');
    expect(code).toBe(0);
    expect(out).toMatch(/durable counter\s+pass\s+2\s+0\s+-/);
    expect(out).toMatch(/volatile counter bug-hunt\s+pass \(found in 2\/2 seeds\)\s+2\s+0\s+acked-not-lost/);
    expect(out).toContain('found the expected violation of "acked-not-lost"');
    expect(out).toContain('npx microcosm replay reports/volatile-counter-bug-hunt-seed1-min.json');
    // The bug-hunt runs first (it will be shrunk), and its shrink starts as soon as its seeds are in.
    expect(err).toContain('2/4 ok volatile counter bug-hunt seed 2');
    expect(err.indexOf('shrinking volatile counter bug-hunt seed 1')).toBeGreaterThan(-1);
    expect(err.indexOf('shrinking volatile counter bug-hunt seed 1')).toBeLessThan(err.indexOf('ok durable counter'));
    for (const report of ['summary.json', 'junit.xml', 'summary.md', 'volatile-counter-bug-hunt-seed1-min.html'])
      expect(existsSync(join(dir, 'reports', report)), report).toBe(true);
  });

  it('exits 1 and prints the replay command when an invariant breaks', async () => {
    const failing = await project({ 'volatile.yaml': counter('volatile counter', false) });
    const { code, out } = await microcosm(failing, 'run', '--seed', '3', '--no-shrink');
    expect(code).toBe(1);
    expect(out).toContain('✗ volatile counter — seed 3');
    expect(out).toContain('replay: npx microcosm run scenarios/volatile.yaml --seed 3');
  });

  it('--json prints one machine-readable summary on stdout', async () => {
    const { code, out } = await microcosm(
      dir,
      'run',
      'scenarios/durable.yaml',
      '--seeds',
      '2',
      '--json',
      '--workers',
      '1',
      '--report',
      'reports-json',
    );
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary.results).toHaveLength(2);
    expect(summary.results[0]).toMatchObject({ scenario: 'durable counter', seed: 1, verdict: 'passed', violated: [] });
    expect(summary.results[0].traceHash).toMatch(/^[0-9a-f]+$/);
    expect(summary.results[0].virtualMs).toBe(2000);
  });

  it('replays a shrunk case from its report with the identical trace hash', async () => {
    const report = join(dir, 'reports', 'volatile-counter-bug-hunt-seed1-min.json');
    const recorded = JSON.parse(await readFile(report, 'utf8')).result.traceHash;
    const { code, out } = await microcosm(dir, 'replay', report);
    expect(out).toContain(`trace hash ${recorded} (recorded ${recorded}): identical`);
    expect(code).toBe(0);
  });

  it('rejects an unknown flag with exit code 2', async () => {
    const { code, err } = await microcosm(dir, 'run', '--sedes', '3');
    expect(code).toBe(2);
    expect(err).toContain("microcosm run: Unknown option '--sedes'");
  });

  it('rejects a malformed scenario with its file, line and field, exit code 2', async () => {
    const bad = await project({ 'bad.yaml': counter('bad', true).replace('rate: 40/s', 'rate: fast') });
    const { code, err } = await microcosm(bad, 'run');
    expect(code).toBe(2);
    expect(err).toContain(
      'microcosm run: scenarios/bad.yaml:3:29: workload[0].rate: expected a rate like 20/s or 600/m',
    );
  });

  it('keeps help working', async () => {
    expect((await microcosm(dir, 'help')).out).toContain('run [files…]');
    expect((await microcosm(dir, 'run', '--help')).out).toContain('--seeds N');
    expect((await microcosm(dir, 'frobnicate')).code).toBe(2);
  });
});
