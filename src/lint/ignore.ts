/**
 * Inline suppressions: `// microcosm-lint-ignore RULE[, RULE]: reason` silences those rules on
 * its own line and the next; `// microcosm-lint-ignore-file RULE[, RULE]: reason` for the whole
 * file (for code that by design runs only as a real process). A reason is required; an ignore
 * naming an unknown rule, or one that silences nothing, is itself a finding.
 */

export interface Ignore {
  /** 1-based line of the comment. */
  readonly line: number;
  readonly column: number;
  readonly rules: readonly string[];
  readonly file: boolean;
  readonly reason: string;
  used: boolean;
}

const IGNORE = /^\/\/\s*microcosm-lint-ignore(-file)?\b(.*)$/;
const BODY = /^\s+([a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*)\s*(?::\s*(.*\S))?\s*$/;

export type IgnoreProblem = { readonly line: number; readonly column: number; readonly message: string };

/** A `//` comment of the file (found by the parser, so never text inside a string). */
export interface LineComment {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/** Every ignore among a file's comments, and the malformed ones as problems. */
export function parseIgnores(
  comments: readonly LineComment[],
  known: ReadonlySet<string>,
): { ignores: Ignore[]; problems: IgnoreProblem[] } {
  const ignores: Ignore[] = [];
  const problems: IgnoreProblem[] = [];
  for (const { line, column, text } of comments) {
    const match = IGNORE.exec(text);
    if (!match) continue;
    const problem = (message: string) => problems.push({ line, column, message });
    const body = BODY.exec(match[2] ?? '');
    if (!body) {
      problem('an ignore names its rules and a reason: "microcosm-lint-ignore RULE: reason"');
      continue;
    }
    const rules = (body[1] ?? '').split(',').map((r) => r.trim());
    const unknown = rules.filter((r) => !known.has(r));
    if (unknown.length > 0)
      problem(`unknown rule ${unknown.map((r) => `"${r}"`).join(', ')} (rules: ${[...known].join(', ')})`);
    else if (body[2] === undefined)
      problem(`the ignore of ${rules.join(', ')} gives no reason ("…: why this is safe")`);
    else ignores.push({ line, column, rules, file: match[1] !== undefined, reason: body[2], used: false });
  }
  return { ignores, problems };
}

/** The ignore that silences `rule` at `line`, marking it used; undefined when none does. */
export function silencer(ignores: readonly Ignore[], rule: string, line: number): Ignore | undefined {
  const found = ignores.find((i) => i.rules.includes(rule) && (i.file || i.line === line || i.line === line - 1));
  if (found) found.used = true;
  return found;
}
