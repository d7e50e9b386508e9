/**
 * Every code block of README.md, docs/guide.md and docs/scenarios.md, run — so a snippet can never rot.
 *
 * Blocks are written, in order, into `test/.snippets/<doc>/` inside the repository (so the package
 * name resolves as it does for a user): a first line `// file: NAME` (`# file: NAME`) names the
 * file, other blocks get a numbered name. Then:
 * - every TypeScript block is type-checked (strict, the repository's compiler options);
 * - a `*.test.ts` block is imported while this file is collected, so the tests it declares run
 *   here; any other TypeScript block is run by importing it in a test;
 * - a YAML block under `scenarios/` is loaded by the scenario loader (schema, system module,
 *   options); any other YAML block must parse;
 * - every `npx microcosm …` line of a shell block must name a command, and a `run` line must
 *   pass `microcosm run`'s argument parser.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { findCommand } from '../src/cli/commands.js';
import { parseRunArgs } from '../src/cli/run-args.js';
import { loadScenarioFile } from '../src/scenarios/load.js';

const ROOT = join(import.meta.dirname, '..');
const DOCS = ['README.md', 'docs/guide.md', 'docs/scenarios.md'];

interface Block {
  readonly doc: string;
  readonly lang: string;
  readonly name: string;
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

function blocksOf(doc: string): Block[] {
  const dir = join(ROOT, 'test', '.snippets', doc.replace(/[^\w]+/g, '-'));
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    const text = `${lines.slice(start, end).join('\n')}\n`;
    const lang = open[1] ?? '';
    const named = /^(?:\/\/|#) file: (\S+)/.exec(lines[start] ?? '')?.[1];
    const ext = lang === 'ts' ? 'ts' : lang === 'yaml' ? 'yaml' : lang;
    const name = named ?? `block-${start + 1}.${ext}`;
    blocks.push({ doc, lang, name, path: join(dir, name), line: start, text });
    i = end;
  }
  return blocks;
}

const blocks = DOCS.flatMap(blocksOf);
for (const block of blocks) {
  mkdirSync(dirname(block.path), { recursive: true });
  writeFileSync(block.path, block.text);
}
// The README's scenario points at ../examples/shop, as it does from this repository's scenarios/.
const readmeDir = join(ROOT, 'test', '.snippets', 'README-md');
rmSync(join(readmeDir, 'examples'), { force: true });
symlinkSync(join(ROOT, 'examples'), join(readmeDir, 'examples'));
afterAll(() => rmSync(join(ROOT, 'test', '.snippets'), { recursive: true, force: true }));

// Checking against the build's declarations (as a user's project does) is several times faster than
// checking all of src/ again; `npm test` builds just before vitest. A stale or missing build: src/.
const DIST_PATHS = {
  '@microcosm-ts/core': ['./dist/index.d.ts'],
  '@microcosm-ts/core/sim': ['./dist/sim-entry.d.ts'],
  '@microcosm-ts/core/vitest': ['./dist/vitest-entry.d.ts'],
  '@microcosm-ts/core/conformance': ['./dist/conformance/index.d.ts'],
  '@microcosm-ts/core/plugins/*': ['./dist/plugins/*/index.d.ts'],
};
function builtIsFresh(): boolean {
  const built = join(ROOT, 'dist', 'index.d.ts');
  if (!existsSync(built)) return false;
  const at = statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  return newest(join(ROOT, 'src')) <= at;
}

const where = (b: Block) => `${b.doc}:${b.line} (${b.name})`;
const typescript = blocks.filter((b) => b.lang === 'ts');

describe('documentation snippets', () => {
  it('finds the blocks of both documents', () => {
    expect(typescript.length).toBeGreaterThanOrEqual(9);
    expect(blocks.some((b) => b.doc === 'README.md' && b.lang === 'ts')).toBe(true);
  });

  it('type-checks every TypeScript block', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('cannot read tsconfig.json');
    const program = ts.createProgram(
      typescript.map((b) => b.path),
      { ...config.options, noEmit: true, ...(builtIsFresh() ? { paths: DIST_PATHS } : {}) },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.includes('/test/.snippets/'))
      .map((d) => {
        const file = d.file as ts.SourceFile;
        const { line } = file.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = typescript.find((b) => b.path === file.fileName);
        return `${block ? where(block) : relative(ROOT, file.fileName)} line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 240_000);

  for (const block of typescript.filter((b) => !b.name.endsWith('.test.ts')))
    it(`runs ${where(block)}`, async () => {
      await import(pathToFileURL(block.path).href);
    });

  for (const block of blocks.filter((b) => b.lang === 'yaml'))
    it(`loads ${where(block)}`, async () => {
      if (block.name.startsWith('scenarios/')) {
        const scenarios = await loadScenarioFile(block.path);
        expect(scenarios.length).toBeGreaterThan(0);
      } else expect(parseYaml(block.text)).toBeTypeOf('object');
    });

  for (const block of blocks.filter((b) => b.lang === 'sh'))
    it(`parses the microcosm commands of ${where(block)}`, () => {
      for (const raw of block.text.split('\n')) {
        const line = raw
          .replace(/\s+#.*$/, '')
          .replace(/\s*>.*$/, '')
          .trim();
        if (!line.startsWith('npx microcosm')) continue;
        const [name, ...argv] = line.split(/\s+/).slice(2);
        expect(name !== undefined && findCommand(name) !== undefined, `${where(block)}: ${line}`).toBe(true);
        if (name === 'run') expect(() => parseRunArgs(argv), line).not.toThrow();
      }
    });
});

// The blocks that are test files declare their tests here, as they would in a project.
for (const block of typescript.filter((b) => b.name.endsWith('.test.ts')))
  describe(where(block), async () => {
    await import(pathToFileURL(block.path).href);
  });
