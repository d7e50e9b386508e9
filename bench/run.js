#!/usr/bin/env node
// `npm run bench -- NAME [args…]` runs bench/NAME.ts (or bench/NAME/index.ts) on the build:
// `npm run bench` builds dist/ first, the bench file itself goes through tsx, and every import of
// `@microcosm-ts/core…` resolves to dist/ as a user's would (tsx is pointed at a tsconfig without
// the repository's source `paths`). Each benchmark prints its figure on its last line as
// `NAME: VALUE UNIT`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const available = () =>
  readdirSync(here)
    .filter((f) => f !== 'run.js' && !f.startsWith('_') && !f.startsWith('.'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();

if (!name) {
  console.error(`usage: npm run bench -- NAME\navailable: ${available().join(', ')}`);
  process.exit(2);
}
const file = [join(here, `${name}.ts`), join(here, name, 'index.ts')].find((f) => existsSync(f));
if (!file) {
  console.error(`no benchmark named "${name}"; available: ${available().join(', ')}`);
  process.exit(2);
}
if (!existsSync(join(here, '..', 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` (or use `npm run bench -- NAME`, which builds)');
  process.exit(2);
}
const env = { ...process.env, TSX_TSCONFIG_PATH: join(here, '..', 'tsconfig.build.json') };
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
