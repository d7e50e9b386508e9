/**
 * JUnit XML for CI: one `<testsuite>` per scenario, one `<testcase>` per scenario × seed. A failing
 * case names the violated invariant (or the expected violation that never showed) and carries the
 * replay command in its body, so the CI page says exactly how to reproduce it.
 */
import { describeFault } from '../scenarios/faults.js';
import { type RunResult, violatedInvariants } from '../scenarios/result.js';
import { escapeXml } from './escape.js';
import { keptPages, type PageOf, type RunPages } from './pages.js';

export function formatJunit(results: readonly RunResult[], pageOf: PageOf = keptPages): string {
  const suites = new Map<string, RunResult[]>();
  for (const result of results) suites.set(result.scenario, [...(suites.get(result.scenario) ?? []), result]);
  const failures = results.filter((r) => !r.passed && r.outcome !== 'error').length;
  const errors = results.filter((r) => r.outcome === 'error').length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="microcosm" tests="${results.length}" failures="${failures}" errors="${errors}" time="${seconds(total(results))}">`,
  ];
  for (const [scenario, runs] of suites) {
    const suiteFailures = runs.filter((r) => !r.passed && r.outcome !== 'error').length;
    const suiteErrors = runs.filter((r) => r.outcome === 'error').length;
    lines.push(
      `  <testsuite name="${escapeXml(scenario)}" tests="${runs.length}" failures="${suiteFailures}" errors="${suiteErrors}" time="${seconds(total(runs))}">`,
    );
    for (const run of runs) lines.push(...testcase(run, pageOf(run)));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(run: RunResult, pages: RunPages | undefined): string[] {
  const open = `    <testcase classname="${escapeXml(run.scenario)}" name="seed ${run.seed}" time="${seconds(run.wallMs)}"`;
  // The page as a property (the JUnit convention CI report viewers read) and in the body's text.
  const properties =
    pages === undefined
      ? []
      : [`      <properties><property name="report" value="${escapeXml(pages.html)}" /></properties>`];
  const seeAlso =
    pages === undefined
      ? ''
      : `\nreport: ${pages.html}${pages.minimal ? `\nminimal report: ${pages.minimal.html}` : ''}`;
  if (run.passed) return properties.length === 0 ? [`${open} />`] : [`${open}>`, ...properties, '    </testcase>'];
  if (run.outcome === 'error') {
    const body = [run.error ?? 'the run failed', '', `replay: ${run.replayCommand}`].join('\n') + seeAlso;
    return [
      `${open}>`,
      ...properties,
      `      <error message="${escapeXml(`run error: ${firstLine(run.error ?? 'unknown')}`)}">${escapeXml(body)}</error>`,
      '    </testcase>',
    ];
  }
  return [
    `${open}>`,
    ...properties,
    `      <failure message="${escapeXml(failureMessage(run))}" type="InvariantViolated">${escapeXml(failureBody(run) + seeAlso)}</failure>`,
    '    </testcase>',
  ];
}

function failureMessage(run: RunResult): string {
  if (run.expectViolated !== undefined)
    return `expected invariant "${run.expectViolated}" to be violated, but it held (seed ${run.seed})`;
  return `invariant ${violatedInvariants(run)
    .map((name) => `"${name}"`)
    .join(', ')} violated (seed ${run.seed})`;
}

function failureBody(run: RunResult): string {
  const lines: string[] = [];
  for (const verdict of run.verdicts)
    for (const violation of verdict.violations) lines.push(`${violation.invariant}: ${violation.message}`);
  lines.push('', `replay: ${run.replayCommand}`, `trace hash: ${run.traceHash}`);
  if (run.shrink !== undefined) {
    const minimal = run.shrink.minimal;
    lines.push(
      '',
      `shrunk in ${run.shrink.runs} runs to ${run.shrink.faultsAfter} fault(s) and ${run.shrink.opsAfter} operation(s):`,
      ...minimal.faults.map((f) => `  at ${f.at}ms ${describeFault(f)}`),
      `minimal replay: ${minimal.replayCommand}`,
    );
  }
  return lines.join('\n');
}

const total = (runs: readonly RunResult[]) => runs.reduce((sum, r) => sum + r.wallMs, 0);
const seconds = (ms: number) => (ms / 1000).toFixed(3);
const firstLine = (text: string) => text.split('\n')[0] ?? '';
