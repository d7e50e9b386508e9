import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';

const ROOT = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'microcosm-new-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const io = (): CliIo & { text: () => string } => {
  let text = '';
  return { out: (t) => void (text += t), err: (t) => void (text += t), tty: false, cwd: work, text: () => text };
};

/** The generated project's node_modules: this repo's packages, and @microcosm-ts/core pointing at this repo — no registry. */
function linkDependencies(dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@microcosm-ts'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules')))
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  symlinkSync(ROOT, join(modules, '@microcosm-ts', 'core'));
}

describe('microcosm new', () => {
  it('refuses a bad name, a missing proto and a proto buf cannot compile, before writing', async () => {
    expect(await main(['new', 'Bad_Name'], io())).toBe(2);
    const missing = io();
    expect(await main(['new', 'ok', '--proto', 'nope.proto'], missing)).toBe(2);
    expect(missing.text()).toContain('--proto: no file nope.proto');
    writeFileSync(join(work, 'broken.proto'), 'syntax = "proto3"; service {');
    const broken = io();
    expect(await main(['new', 'broken', '--proto', 'broken.proto'], broken)).toBe(2);
    expect(broken.text()).toContain('buf could not compile it');
  });

  it('scaffolds a service from a .proto whose own npm test passes against this build', async () => {
    writeFileSync(
      join(work, 'billing.proto'),
      `syntax = "proto3";
package acme.billing;
service Billing { rpc Hello(HelloRequest) returns (HelloReply); rpc Refund(RefundRequest) returns (RefundReply); }
message HelloRequest { string name = 1; }
message HelloReply { string message = 1; }
message RefundRequest { string order_id = 1; int64 cents = 2; }
message RefundReply { bool ok = 1; }
`,
    );
    const out = io();
    expect(await main(['new', 'billing', '--proto', 'billing.proto', '--dir', 'svc/billing'], out)).toBe(0);
    const dir = join(work, 'svc', 'billing');
    expect(out.text()).toContain(`created ${dir}`);
    expect(readdirSync(join(dir, 'src', 'gen'))).toEqual(['billing_pb.ts']);
    linkDependencies(dir);
    // The generated project imports @microcosm-ts/core as a user would: through its exports, i.e. the build.
    expect(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is missing: npm run build (npm test does)').toBe(true);
    const { stdout } = await promisify(execFile)('npm', ['test', '--silent'], {
      cwd: dir,
      env: { ...process.env, CI: '1', NO_COLOR: '1' },
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
    expect(stdout.replaceAll(/\u001b\[[\d;]*m/g, '')).toMatch(/Tests\s+2 passed/);
    expect(await main(['new', 'billing', '--dir', 'svc/billing'], io())).toBe(2); // not over a project
  }, 240_000);
});
