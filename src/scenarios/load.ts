/**
 * Load scenario files: `.yaml`/`.yml` through the schema, `.ts`/`.js` by importing the module and
 * taking its default export (a scenario or a list of them) and every other exported scenario.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { importUserModule } from './import-module.js';
import type { Scenario } from './scenario.js';
import { ScenarioError } from './scenario-error.js';
import { validateScenario } from './validate.js';
import { loadYamlScenario } from './yaml.js';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.ts', '.js', '.mjs'] as const;

/** Every scenario file directly in `dir`, sorted by name. */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && (SCENARIO_EXTENSIONS as readonly string[]).includes(extname(e.name)))
    .filter((e) => !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(dir, e.name))
    .sort();
}

/** The scenarios one file defines. Throws a {@link ScenarioError} naming the file. */
export async function loadScenarioFile(file: string): Promise<Scenario[]> {
  const ext = extname(file);
  let text: string;
  try {
    text = ext === '.yaml' || ext === '.yml' ? await readFile(file, 'utf8') : '';
  } catch (error) {
    throw new ScenarioError(`cannot read: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  if (ext === '.yaml' || ext === '.yml') return [await loadYamlScenario(text, file)];
  if (!['.ts', '.js', '.mjs'].includes(ext))
    throw new ScenarioError(`expected a .yaml, .yml, .ts or .js scenario file, got "${ext || 'no extension'}"`, {
      file,
    });
  let mod: Record<string, unknown>;
  try {
    mod = await importUserModule(resolve(file));
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(error.detail, { file, path: error.path });
    throw new ScenarioError(`cannot load: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  const found: Scenario[] = [];
  const seen = new Set<unknown>();
  for (const value of [mod.default, ...Object.values(mod)])
    for (const item of Array.isArray(value) ? value : [value])
      if (isScenario(item) && !seen.has(item)) {
        seen.add(item);
        found.push(item);
      }
  if (found.length === 0)
    throw new ScenarioError('expected the module to export a scenario (defineScenario)', { file });
  for (const scenario of found) {
    const [problem] = await validateScenario(scenario);
    if (problem !== undefined)
      throw new ScenarioError(`scenario "${scenario.name}": ${problem.message}`, { file, path: problem.path });
  }
  return found;
}

function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<Scenario>;
  return typeof s.name === 'string' && typeof s.durationMs === 'number' && typeof s.system?.build === 'function';
}
