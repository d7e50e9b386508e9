/**
 * Lint files for what a simulation cannot virtualise. ts-morph (the TypeScript compiler) is
 * loaded here, lazily, so nothing else pays for it; files are parsed, never type-checked.
 */
import { readFileSync } from 'node:fs';
import type { SourceFile } from 'ts-morph';
import { loadPeer } from '../micro/peer.js';
import { lintableFiles } from './files.js';
import { type LineComment, parseIgnores, silencer } from './ignore.js';
import { RULE_IDS, RULES } from './rules.js';
import type { LintFinding, LintRule, TsMorph } from './types.js';

export const BAD_IGNORE = 'bad-ignore';
export const UNUSED_IGNORE = 'unused-ignore';

export interface LintResult {
  readonly files: number;
  readonly findings: readonly LintFinding[];
}

export interface LintOptions {
  /** Default: every rule ({@link RULES}). */
  readonly rules?: readonly LintRule[];
  /** How file names appear in findings. Default: as found. */
  readonly displayName?: (file: string) => string;
}

/** Lint the files and folders in `paths`. Throws LintInputError on a missing path or nothing to lint. */
export async function lint(paths: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  const files = lintableFiles(paths);
  const tsm = await loadPeer('ts-morph', 'lint command', () => import('ts-morph'));
  const project = new tsm.Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { allowJs: true },
  });
  const rules = options.rules ?? RULES;
  const display = options.displayName ?? ((file: string) => file);
  const findings: LintFinding[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const file = display(path);
    const source = project.createSourceFile(`/${findings.length}-${path.replace(/[^\w.-]/g, '_')}`, text, {
      overwrite: true,
    });
    const { ignores, problems } = parseIgnores(lineComments(source, tsm), RULE_IDS);
    for (const p of problems)
      findings.push({
        file,
        line: p.line,
        column: p.column,
        rule: BAD_IGNORE,
        message: p.message,
        hint: 'write "// microcosm-lint-ignore RULE: reason"',
      });
    for (const rule of rules) {
      rule.check(source, tsm, (node, message, hint) => {
        const { line, column } = source.getLineAndColumnAtPos(node.getStart());
        if (silencer(ignores, rule.id, line)) return;
        findings.push({ file, line, column, rule: rule.id, message, hint: hint ?? rule.hint });
      });
    }
    for (const i of ignores)
      if (!i.used && i.rules.every((r) => rules.some((rule) => rule.id === r)))
        findings.push({
          file,
          line: i.line,
          column: i.column,
          rule: UNUSED_IGNORE,
          message: `this ignore of ${i.rules.join(', ')} silences nothing`,
          hint: 'remove it',
        });
    project.removeSourceFile(source);
  }
  findings.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
  return { files: files.length, findings };
}

/** `file:line:col rule message`, then the fix hint indented below. */
export function formatFinding(f: LintFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}\n    fix: ${f.hint}`;
}

/** Every `//` comment of a parsed file, in order (the scanner's view: strings are not comments). */
function lineComments(source: SourceFile, tsm: TsMorph): LineComment[] {
  const text = source.getFullText();
  const seen = new Map<number, LineComment>();
  const add = (ranges: readonly { pos: number; end: number; kind: number }[] | undefined) => {
    for (const range of ranges ?? []) {
      if (range.kind !== tsm.ts.SyntaxKind.SingleLineCommentTrivia || seen.has(range.pos)) continue;
      const { line, column } = source.getLineAndColumnAtPos(range.pos);
      seen.set(range.pos, { line, column, text: text.slice(range.pos, range.end) });
    }
  };
  const visit = (node: { getPos(): number; getEnd(): number }) => {
    add(tsm.ts.getLeadingCommentRanges(text, node.getPos()));
    add(tsm.ts.getTrailingCommentRanges(text, node.getEnd()));
  };
  visit(source);
  source.forEachDescendant(visit);
  add(tsm.ts.getLeadingCommentRanges(text, source.getEnd()));
  return [...seen.values()].sort((a, b) => a.line - b.line);
}
