import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Only the live runtime module may read the wall clock or unseeded randomness; real plugins
// talk to real backends and are exempt; tests may do as they like.
const ROOT = join(import.meta.dirname, '..', 'src');
const AMBIENT =
  /\b(Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|crypto\.randomUUID\(|crypto\.getRandomValues\()/;
const EXEMPT = [/\.test\.ts$/, /(^|\/)live(\.ts|\/)/, /^plugins\//, /^cli\//, /^sim\/globals/];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

describe('framework code takes time and randomness from its runtime', () => {
  it('has no ambient clock or random reads outside the live module', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(ROOT)) {
      const rel = relative(ROOT, file);
      if (EXEMPT.some((rule) => rule.test(rel))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (AMBIENT.test(line) && !line.trimStart().startsWith('//') && !line.trimStart().startsWith('*'))
            offenders.push(`src/${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
