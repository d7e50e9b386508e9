/**
 * Whether loading a scenario file imports TypeScript: a `.ts` scenario module, or a YAML file
 * whose `system.module` is one. A thread running the framework from its JavaScript build
 * registers a TypeScript loader only then.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'yaml';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

export const isTypeScript = (path: string): boolean => TYPESCRIPT.has(extname(path));

/** False for anything unreadable or malformed: loading it reports the problem properly. */
export async function needsTypeScript(file: string): Promise<boolean> {
  if (isTypeScript(file)) return true;
  if (!['.yaml', '.yml'].includes(extname(file))) return false;
  try {
    const data = parse(await readFile(file, 'utf8')) as { system?: { module?: unknown } } | null;
    const module = data?.system?.module;
    return typeof module === 'string' && isTypeScript(module);
  } catch {
    return false;
  }
}
