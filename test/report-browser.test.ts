import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatHtml } from '../src/report/html.js';
import { failedRun } from '../src/report/test-fixtures.js';

// The HTML report opened in a real headless browser: Debian's chromium, never a downloaded one.
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const available = existsSync(CHROMIUM);
const required = process.env.MICROCOSM_REQUIRE_SERVICES === '1';
if (!available && !required)
  console.log(`report-browser: skipped, ${CHROMIUM} is absent (apt-get install chromium to run it)`);

describe.runIf(available || required)('the HTML report in a headless browser', () => {
  it('loads with no console error and shows the violated invariant', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required (MICROCOSM_REQUIRE_SERVICES=1)`).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-report-'));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const file = join(dir, 'run.html');
      await writeFile(file, formatHtml(failedRun));
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request: ${request.url()}`));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      await expect.poll(() => page.locator('#violations .invariant').first().textContent()).toBe('no-oversell');
      expect(await page.locator('#verdict').textContent()).toContain('FAILED');
      expect(await page.locator('#timeline .violation text').first().textContent()).toContain('no-oversell');
      // The inline script works: unticking "messages" hides the arrows.
      await page.locator('#show-messages').uncheck();
      expect(await page.locator('#timeline .msg').first().isVisible()).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
