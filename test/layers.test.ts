import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The folders are the architecture; these are the only directions an import may take.
const ALLOWED: Record<string, readonly string[]> = {
  micro: [],
  sim: [],
  fakes: ['micro', 'sim'],
  plugins: ['micro', 'gateway'],
  gateway: ['micro', 'fakes', 'sim'],
  conformance: ['micro'],
  assertions: ['sim'],
  scenarios: ['sim', 'fakes', 'assertions', 'micro'],
  report: ['scenarios', 'assertions', 'sim', 'micro'],
  lint: ['micro'],
  cli: ['micro', 'sim', 'fakes', 'plugins', 'conformance', 'assertions', 'scenarios', 'report', 'lint', 'gateway'],
};

const SRC = join(import.meta.dirname, '..', 'src');
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] ?? '';

describe('layers', () => {
  it('import only in the allowed directions', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const allowed = ALLOWED[from];
      if (!allowed) continue; // top-level entry files (index.ts, sim-entry.ts) may re-export anything
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = layerOf(resolve(dirname(file), match[1] ?? match[2] ?? ''));
        if (target !== from && !allowed.includes(target)) violations.push(`src/${relative(SRC, file)} → src/${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
