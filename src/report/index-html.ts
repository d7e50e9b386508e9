/**
 * `index.html`: the page a person opens first — every scenario × seed of the run (or of merged
 * shards) with its verdict, violations and replay command, linking each run's own page.
 * Self-contained like the run pages: inline CSS, no script, no external asset.
 */
import { type RunResult, violatedInvariants } from '../scenarios/result.js';
import { escapeXml } from './escape.js';
import { keptPages, type PageOf } from './pages.js';
import { scenarioRows } from './summary.js';

export function formatIndexHtml(results: readonly RunResult[], pageOf: PageOf = keptPages): string {
  const failed = results.filter((r) => !r.passed).length;
  const rows = scenarioRows(results);
  const sections = rows.map((row) => {
    const runs = results.filter((r) => r.scenario === row.scenario);
    const items = runs
      .map((run) => {
        const pages = pageOf(run);
        const label = `seed ${run.seed}`;
        const link = pages === undefined ? label : `<a href="${escapeXml(pages.html)}">${label}</a>`;
        const minimal =
          pages?.minimal === undefined ? '' : ` · <a href="${escapeXml(pages.minimal.html)}">minimal failing run</a>`;
        const violated = violatedInvariants(run);
        return (
          `<tr class="${run.passed ? 'passed' : 'failed'}"><td>${link}${minimal}</td>` +
          `<td>${run.passed ? 'pass' : 'FAIL'}</td>` +
          `<td>${escapeXml(violated.join(', ') || '—')}</td>` +
          `<td><code>${escapeXml(run.replayCommand)}</code></td></tr>`
        );
      })
      .join('\n');
    const verdict = row.failed > 0 ? 'FAIL' : row.expectViolated === undefined ? 'pass' : 'pass (bug found)';
    return (
      `<section><h2>${escapeXml(row.scenario)} <small>${verdict} · ${row.seeds} seed(s), ${row.failed} failed</small></h2>` +
      `<table><tr><th>run</th><th>result</th><th>violated</th><th>replay</th></tr>\n${items}</table></section>`
    );
  });
  const headline =
    failed === 0 ? `all ${results.length} run(s) passed` : `${failed} of ${results.length} run(s) failed`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Microcosm run: ${escapeXml(headline)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head>
<body>
<header class="${failed === 0 ? 'passed' : 'failed'}"><h1>Microcosm run</h1><p id="headline">${escapeXml(headline)} in ${rows.length} scenario(s)</p>
<p>Also here: <a href="summary.md">summary.md</a> · <a href="junit.xml">junit.xml</a> · <a href="summary.json">summary.json</a></p></header>
${sections.join('\n')}
</body></html>
`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{padding:16px 24px;border-bottom:4px solid #2d8a4e;background:#fff}header.failed{border-color:#c62828}
h1{margin:0;font-size:22px}h2{font-size:16px;margin:0 0 8px}h2 small{color:#667;font-weight:normal}
section{padding:12px 24px}table{border-collapse:collapse}th,td{text-align:left;padding:3px 12px 3px 0}
tr.failed td{color:#b71c1c}code{font:12px ui-monospace,monospace;background:#eef;padding:1px 4px;border-radius:3px}
`;
