import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { main } from './main.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function microcosm(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), tty: false, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('microcosm lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microcosm-lint-cli-'));
  writeFileSync(join(dir, 'clean.ts'), 'export const now = (clock: { now(): number }) => clock.now();\n');
  writeFileSync(join(dir, 'dirty.ts'), "import net from 'node:net';\nexport default net;\n");

  it('passes the examples (exit 0)', async () => {
    const { code, err } = await microcosm(ROOT, 'lint', 'examples');
    expect([code, err]).toEqual([0, expect.stringMatching(/nothing a simulation cannot virtualise/)]);
  });

  it('prints file:line:col rule message and a fix, and exits 1 on findings', async () => {
    const { code, out } = await microcosm(dir, 'lint', '.');
    expect(code).toBe(1);
    expect(out).toMatch(/^dirty\.ts:1:1 real-io-import imports "node:net", .*\n {4}fix: .+\n$/);
  });

  it('writes JSON with --json', async () => {
    const { code, out } = await microcosm(dir, 'lint', 'dirty.ts', 'clean.ts', '--json');
    const report = JSON.parse(out) as { files: number; findings: { file: string; rule: string; hint: string }[] };
    expect([code, report.files, report.findings.map((f) => [f.file, f.rule])]).toEqual([
      1,
      2,
      [['dirty.ts', 'real-io-import']],
    ]);
  });

  it('exits 2 on a missing path or an unknown flag, naming it', async () => {
    const missing = await microcosm(dir, 'lint', 'nowhere');
    expect([missing.code, missing.err]).toEqual([2, expect.stringMatching(/no such file or folder: nowhere/)]);
    const flag = await microcosm(dir, 'lint', '--fix');
    expect([flag.code, flag.err]).toEqual([2, expect.stringMatching(/unknown option --fix/)]);
  });
});
