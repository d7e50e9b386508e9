import { describe, expect, it } from 'vitest';
import { formatHtml } from './html.js';
import { formatRunJson, formatSummaryJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { failedRun, foundBug, passedRun } from './test-fixtures.js';

describe('JSON report', () => {
  it('holds the complete result, including what replays it', () => {
    const parsed = JSON.parse(formatRunJson(foundBug));
    expect(parsed.format).toBe('microcosm-run');
    expect(parsed.result).toEqual(foundBug);
    expect(parsed.result.shrink.minimal.replay.faults).toEqual([
      { type: 'pause', node: 'inventory-1', at: 200, for: 2300 },
    ]);
  });

  it('summarises each scenario × seed on one machine-readable line', () => {
    const text = formatSummaryJson([passedRun, failedRun]);
    expect(text).not.toContain('\n');
    const summary = JSON.parse(text);
    expect(summary).toMatchObject({ passed: false, total: 2, failed: 1 });
    expect(summary.results[1]).toMatchObject({
      scenario: 'orders <partition> broker',
      seed: 7,
      verdict: 'failed',
      violated: ['no-oversell'],
      traceHash: 'ffeeddccbbaa0099',
      virtualMs: 10_000,
      shrunkTo: { faults: 1, ops: 3 },
    });
  });
});

describe('JUnit report', () => {
  const xml = formatJunit([passedRun, failedRun, foundBug]);

  it('has one test case per scenario × seed, grouped by scenario', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<testsuites name="microcosm" tests="3" failures="1" errors="0"');
    expect(xml).toContain('<testsuite name="orders &lt;partition&gt; broker" tests="1" failures="1"');
  });

  it('names the violated invariant and the replay command in a failure', () => {
    const failure = xml.slice(xml.indexOf('<failure'), xml.indexOf('</failure>'));
    expect(failure).toContain('message="invariant &quot;no-oversell&quot; violated (seed 7)"');
    expect(failure).toContain('replay: npx microcosm run scenarios/unfenced.yaml --seed 7');
    expect(failure).toContain('minimal replay: npx microcosm replay reports/unfenced-lock-holder-pause-seed7-min.json');
  });

  it('counts a bug-hunt that found its bug as a pass', () => {
    expect(xml).toContain('<testcase classname="unfenced lock holder pause" name="seed 7" time="0.085">');
    expect(xml).toContain('<property name="report" value="unfenced-lock-holder-pause-seed7.html" />');
  });

  it('fails a bug-hunt whose expected violation never showed', () => {
    const missed = { ...foundBug, passed: false, outcome: 'held' as const, verdicts: [] };
    expect(formatJunit([missed])).toContain(
      'message="expected invariant &quot;no-oversell&quot; to be violated, but it held (seed 7)"',
    );
  });
});

describe('Markdown summary', () => {
  it('has a row per scenario and the replay of each failure', () => {
    const md = formatMarkdown([passedRun, failedRun, foundBug]);
    expect(md).toContain('**1 of 3 scenario(s) failed** over 3 run(s).');
    expect(md).toContain('| happy path | pass | 1 | 0 | — |');
    expect(md).toContain('| orders <partition> broker | **FAIL** | 1 | 1 | no-oversell |');
    expect(md).toContain('| unfenced lock holder pause | pass (bug found) |');
    expect(md).toContain('Shrunk in 21 runs from 3 to 1 fault(s) and from 40 to 3 operation(s):');
    expect(md).toContain('- at 200ms: pause inventory-1 for 2.3s');
    expect(md).toContain('npx microcosm replay reports/unfenced-lock-holder-pause-seed7-min.json');
  });

  it('says so when everything passed', () => {
    expect(formatMarkdown([passedRun])).toContain('All 1 scenario(s) passed over 1 run(s).');
  });
});

describe('HTML report', () => {
  const html = formatHtml(failedRun);

  it('is one self-contained page: no external script, style, image or font', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<(script|img|link)[^>]+(src|href)="(?!data:)/);
    expect(html).not.toMatch(/url\((?!#)/);
  });

  it('shows the verdict, the violated invariant and the replay command of the minimal case', () => {
    expect(html).toContain('FAILED — violated: no-oversell');
    expect(html).toContain('<strong class="invariant">no-oversell</strong> at 2.55s on inventory-1');
    expect(html).toContain('npx microcosm replay reports/unfenced-lock-holder-pause-seed7-min.json');
    expect(html).toContain('faults 3 → 1');
  });

  it('draws nodes as lanes, messages as arrows, faults, operations and the violation', () => {
    for (const node of ['client', 'gateway-1', 'inventory-1', 'inventory-2', 'locks'])
      expect(html).toContain(`text-anchor="end">${node}</text>`);
    expect(html.match(/<line class="msg /g)).toHaveLength(6);
    expect(html).toContain('class="msg dropped"');
    expect(html).toContain('<rect class="fault"');
    expect(html.match(/<rect class="op /g)).toHaveLength(3);
    expect(html).toContain('id="violation-0"');
    expect(html).toContain('12 further message(s) left out');
  });

  it('escapes scenario text so it cannot break out of the page', () => {
    const hostile = { ...passedRun, scenario: '</script><script>alert(1)</script>' };
    const page = formatHtml(hostile);
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('\\u003c/script>');
  });
});
