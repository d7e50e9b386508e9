/**
 * `microcosm lint [paths…] [--json]`: find what a simulation cannot virtualise (real I/O
 * imports, WebCrypto, hrtime, timeOrigin, clocks captured at module load, globals used where a
 * runtime is in scope). Exit codes: 0 clean, 1 findings, 2 bad input (unknown flag, missing path).
 */
import { relative, resolve } from 'node:path';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

export const LINT_USAGE = `usage: microcosm lint [paths…] [--json]

  paths    files or folders to lint (default: .); node_modules, dist and dot-folders are skipped
  --json   one JSON object: { files, findings: [{ file, line, column, rule, message, hint }] }

Silence a finding with a reason: // microcosm-lint-ignore RULE: why this is safe
(on the line or the one above), or // microcosm-lint-ignore-file RULE: why, for a whole file.`;

export async function lintCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('-'));
  const unknown = flags.find((f) => f !== '--json');
  if (unknown !== undefined) throw new UsageError(`unknown option ${unknown}`);
  const paths = argv.filter((a) => !a.startsWith('-'));
  const { lint, LintInputError, formatFinding, RULES } = await import('../lint/index.js');
  let result: Awaited<ReturnType<typeof lint>>;
  try {
    result = await lint(
      (paths.length === 0 ? ['.'] : paths).map((p) => resolve(io.cwd, p)),
      {
        displayName: (file) => {
          const rel = relative(io.cwd, file);
          return rel.startsWith('..') ? file : rel;
        },
      },
    );
  } catch (error) {
    if (error instanceof LintInputError) throw new UsageError(error.message.replaceAll(`${io.cwd}/`, ''));
    throw error;
  }
  const { files, findings } = result;
  if (flags.includes('--json')) io.out(`${JSON.stringify({ files, findings }, null, 2)}\n`);
  else {
    for (const finding of findings) io.out(`${formatFinding(finding)}\n`);
    const rules = RULES.length;
    io.err(
      findings.length === 0
        ? `microcosm lint: ${files} file(s), ${rules} rules, nothing a simulation cannot virtualise\n`
        : `microcosm lint: ${findings.length} finding(s) in ${files} file(s)\n`,
    );
  }
  return findings.length === 0 ? 0 : 1;
}
