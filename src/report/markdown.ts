/**
 * A Markdown summary for CI logs and job summaries: one row per scenario, then each failure with
 * its violations, its (shrunk) fault schedule and the command that replays it.
 */
import { describeFault, formatMs } from '../scenarios/faults.js';
import type { RunResult } from '../scenarios/result.js';
import { escapeMarkdownCell } from './escape.js';
import { keptPages, type PageOf } from './pages.js';
import { scenarioRows } from './summary.js';

export function formatMarkdown(results: readonly RunResult[], pageOf: PageOf = keptPages): string {
  const rows = scenarioRows(results);
  const failed = rows.filter((r) => r.failed > 0);
  const lines = [
    '# Microcosm run',
    '',
    failed.length === 0
      ? `All ${rows.length} scenario(s) passed over ${results.length} run(s).`
      : `**${failed.length} of ${rows.length} scenario(s) failed** over ${results.length} run(s).`,
    '',
    'Every run: [index.html](index.html).',
    '',
    '| scenario | result | seeds | failed | violated invariants | virtual time | wall time |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const row of rows) {
    const result = row.failed === 0 ? (row.expectViolated === undefined ? 'pass' : 'pass (bug found)') : '**FAIL**';
    const violated = row.violated.length === 0 ? '—' : row.violated.join(', ');
    lines.push(
      `| ${escapeMarkdownCell(row.scenario)} | ${result} | ${row.seeds} | ${row.failed} | ${escapeMarkdownCell(violated)} | ${formatMs(row.virtualMs)} | ${formatMs(Math.round(row.wallMs))} |`,
    );
  }
  for (const row of failed) {
    const run = row.firstFailure;
    if (run === undefined) continue;
    lines.push('', `## ${row.scenario} — seed ${run.seed}`, '');
    const pages = pageOf(run);
    if (pages !== undefined)
      lines.push(
        `Report: [${pages.html}](${pages.html})${pages.minimal === undefined ? '' : ` · minimal failing run: [${pages.minimal.html}](${pages.minimal.html})`}`,
        '',
      );
    if (run.outcome === 'error') lines.push(`The run itself failed: \`${run.error ?? 'unknown error'}\``);
    else if (run.expectViolated !== undefined)
      lines.push(`Expected invariant \`${run.expectViolated}\` to be violated, but every invariant held.`);
    for (const verdict of run.verdicts)
      for (const v of verdict.violations)
        lines.push(`- \`${v.invariant}\`${v.at === undefined ? '' : ` at ${formatMs(v.at)}`}: ${v.message}`);
    const shown = run.shrink?.minimal ?? run;
    if (run.shrink !== undefined)
      lines.push(
        '',
        `Shrunk in ${run.shrink.runs} runs from ${run.shrink.faultsBefore} to ${run.shrink.faultsAfter} fault(s) and from ${run.shrink.opsBefore} to ${run.shrink.opsAfter} operation(s):`,
      );
    if (shown.faults.length > 0) {
      lines.push('');
      for (const fault of shown.faults) lines.push(`- at ${formatMs(fault.at)}: ${describeFault(fault)}`);
    }
    lines.push('', 'Replay:', '', '```sh', run.replayCommand, '```', '', `Trace hash \`${run.traceHash}\`.`);
    if (shown !== run)
      lines.push(
        '',
        'Replay the minimal case:',
        '',
        '```sh',
        shown.replayCommand,
        '```',
        '',
        `Trace hash \`${shown.traceHash}\`.`,
      );
  }
  return `${lines.join('\n')}\n`;
}
