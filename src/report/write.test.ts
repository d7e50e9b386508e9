import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHtml } from './html.js';
import { formatMarkdown } from './markdown.js';
import { parseRunsFile } from './runs-file.js';
import { failedRun, foundBug, passedRun } from './test-fixtures.js';
import { writeReports } from './write.js';

describe('writeReports', () => {
  it('writes an index linking every run page, and links the pages from summary.md and junit.xml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-write-'));
    await writeReports(dir, [passedRun, failedRun, foundBug]);
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.html') && f !== 'index.html');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(index, page).toContain(`href="${page}"`);
    const md = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('[index.html](index.html)');
    expect(md).toMatch(/\[orders-partition-broker-seed7\.html\]\(orders-partition-broker-seed7\.html\)/);
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('report: orders-partition-broker-seed7.html');
    const runs = parseRunsFile(await readFile(join(dir, 'runs.json'), 'utf8'), 'runs.json');
    expect(runs.runs.map((r) => [r.order, r.result.seed])).toEqual([
      [0, passedRun.seed],
      [1, failedRun.seed],
      [2, foundBug.seed],
    ]);
  });

  it("removes the previous run's files from the directory, and nothing a user put there", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-write-'));
    await writeReports(dir, [failedRun]);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    expect(existsSync(join(dir, 'orders-partition-broker-seed7.html'))).toBe(true);
    await writeReports(dir, [passedRun]);
    expect(existsSync(join(dir, 'orders-partition-broker-seed7.html'))).toBe(false);
    expect(existsSync(join(dir, 'orders-partition-broker-seed7-min.json'))).toBe(false);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('a run page', () => {
  it("shows its own replay command first; a shrunk run's page links the minimal one", () => {
    const html = formatHtml(failedRun, { minimal: { html: 'min.html' } });
    const own = html.indexOf(failedRun.replayCommand);
    const minimal = html.indexOf(failedRun.shrink?.minimal.replayCommand ?? '?');
    expect(own).toBeGreaterThan(0);
    expect(minimal).toBeGreaterThan(own);
    expect(html).toContain('<code id="replay">npx microcosm run');
    expect(html).toContain('href="min.html"');
  });

  it('summary.md gives the original replay before the minimal one', () => {
    const md = formatMarkdown([failedRun]);
    expect(md.indexOf(failedRun.replayCommand)).toBeLessThan(
      md.indexOf(failedRun.shrink?.minimal.replayCommand ?? '?'),
    );
  });
});
