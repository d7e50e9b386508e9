/** The summary table `microcosm run` prints: one row per scenario. */
import { scenarioRows } from '../report/summary.js';
import { formatMs } from '../scenarios/faults.js';
import { describeHitRate } from '../scenarios/hunt.js';
import type { RunResult } from '../scenarios/result.js';

export function summaryTable(results: readonly RunResult[]): string {
  const header = ['scenario', 'result', 'seeds', 'failed', 'violated', 'virtual', 'wall'];
  const rows = scenarioRows(results).map((row) => [
    row.scenario,
    row.hunt === undefined
      ? row.failed > 0
        ? 'FAIL'
        : 'pass'
      : `${row.failed > 0 || !row.hunt.passed ? 'FAIL' : 'pass'} (${describeHitRate(row.hunt)})`,
    String(row.seeds),
    String(row.failed),
    row.violated.length === 0 ? '-' : row.violated.join(', '),
    formatMs(row.virtualMs),
    formatMs(Math.round(row.wallMs)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 2 && i !== 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
