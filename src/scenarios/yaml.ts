/**
 * YAML scenario files. The text is parsed with source ranges kept, validated with the scenario
 * schema, and any problem is reported at its line and column:
 * `scenarios/pause.yaml:14:7: faults[1]: expected a duration like 10s …, got "soon"`.
 */
import { isAbsolute, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { importUserModule } from './import-module.js';
import { fromParsed, type Scenario } from './scenario.js';
import { ScenarioError } from './scenario-error.js';
import { type YamlScenario, yamlScenarioSchema } from './schema.js';
import type { SystemDefinition } from './system.js';
import { validateScenario } from './validate.js';

/** Parse and validate a YAML scenario's text; `file` names it in errors and anchors `system.module`. */
export function parseYamlScenario(text: string, file: string): YamlScenario {
  return parseLocated(text, file).data;
}

/** The parsed scenario and a function locating a path of it in the text. */
function parseLocated(text: string, file: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const syntax = doc.errors[0];
  if (syntax) throw new ScenarioError(`YAML syntax: ${syntax.message.split('\n')[0]}`, at(syntax.pos[0]));
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ScenarioError('expected a mapping with name, system, workload, faults, invariants and duration', {
      file,
      line: 1,
      column: 1,
    });
  const parsed = yamlScenarioSchema.safeParse(value);
  if (parsed.success) return { data: parsed.data, locate: (path: readonly PropertyKey[]) => at(offsetOf(doc, path)) };
  const located = parsed.error.issues
    .map((issue) => ({ issue, offset: offsetOf(doc, issue.path) }))
    .sort((a, b) => a.offset - b.offset);
  const [first, ...others] = located;
  const path = first?.issue.path ?? [];
  const more = others.map(
    ({ issue, offset }) => new ScenarioError(describeIssue(issue), { ...at(offset), path: issue.path }).message,
  );
  throw new ScenarioError([describeIssue(first?.issue), ...more].join('\n'), { ...at(first?.offset ?? 0), path });
}

/** Load a YAML scenario file's system module and build the {@link Scenario}. */
export async function loadYamlScenario(text: string, file: string): Promise<Scenario> {
  const { data, locate } = parseLocated(text, file);
  const modulePath = isAbsolute(data.system.module) ? data.system.module : resolve(file, '..', data.system.module);
  let mod: Record<string, unknown>;
  try {
    mod = await importUserModule(modulePath);
  } catch (error) {
    throw new ScenarioError(
      `cannot load system module ${data.system.module}: ${error instanceof Error ? error.message : String(error)}`,
      { file, path: ['system', 'module'] },
    );
  }
  const exportName = data.system.export;
  const candidate = exportName === undefined ? (mod.system ?? mod.default) : mod[exportName];
  if (!isSystemDefinition(candidate))
    throw new ScenarioError(
      `expected ${data.system.module} to export ${exportName ?? '`system` (or a default export)'} as a system definition with build(sim, options)`,
      { file, path: ['system', exportName === undefined ? 'module' : 'export'] },
    );
  let scenario: Scenario;
  try {
    scenario = fromParsed(data, candidate, data.system.options);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(error.detail, { ...locate(error.path), path: error.path });
    throw error;
  }
  const [problem, ...more] = await validateScenario(scenario);
  if (problem !== undefined)
    throw new ScenarioError(
      [
        problem.message,
        ...more.map((p) => new ScenarioError(p.message, { ...locate(p.path), path: p.path }).message),
      ].join('\n'),
      { ...locate(problem.path), path: problem.path },
    );
  return scenario;
}

function isSystemDefinition(value: unknown): value is SystemDefinition {
  return typeof value === 'object' && value !== null && typeof (value as SystemDefinition).build === 'function';
}

function describeIssue(issue: { code: string; message: string; path: PropertyKey[] } | undefined): string {
  if (issue === undefined) return 'invalid scenario';
  const unknownKeys = (issue as { keys?: string[] }).keys;
  if (issue.code === 'unrecognized_keys' && unknownKeys)
    return `unknown field ${unknownKeys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.message.endsWith('received undefined'))
    return `missing; ${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}`;
  if (issue.message.startsWith('expected')) return issue.message;
  return `expected ${issue.message.replace(/^Invalid input: expected /, '')}`;
}

/** The source offset of the deepest node on `path` that exists (a missing field points at its parent). */
function offsetOf(doc: ReturnType<typeof parseDocument>, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}
