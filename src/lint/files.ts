/** The files `microcosm lint` reads: the given files, and the sources under the given folders. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[mc]?ts$/;
/** Folders never descended into. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'coverage', 'reports']);

export class LintInputError extends Error {
  override readonly name = 'LintInputError';
}

/** Expand paths into sorted source files; a missing path, or nothing to lint, is bad input. */
export function lintableFiles(paths: readonly string[]): string[] {
  const files = new Set<string>();
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new LintInputError(`no such file or folder: ${path}`);
    }
    if (stat.isDirectory()) for (const file of walk(path)) files.add(file);
    else if (SOURCE.test(path)) files.add(path);
    else throw new LintInputError(`not a TypeScript or JavaScript file: ${path}`);
  }
  if (files.size === 0) throw new LintInputError(`no TypeScript or JavaScript files in ${paths.join(', ')}`);
  return [...files].sort();
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(path);
    } else if (SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) yield path;
  }
}
