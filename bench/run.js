#!/usr/bin/env node
// `npm run bench -- NAME [args…]` runs bench/NAME.ts (or bench/NAME/index.ts) with tsx.
// Each benchmark prints its figure on its last line as `NAME: VALUE UNIT`.
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
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
