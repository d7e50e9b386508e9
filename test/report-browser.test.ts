import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatHtml } from '../src/report/html.js';
import { failedRun } from '../src/report/test-fixtures.js';
import type { RunResult } from '../src/scenarios/result.js';
import { runScenario } from '../src/scenarios/run.js';
import { defineScenario } from '../src/scenarios/scenario.js';
import { counterSystem } from '../src/scenarios/test-system.js';
import { browserTests, CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

// The HTML report opened in a real headless browser: Debian's chromium, never a downloaded one.
const run = browserTests('report-browser');

/** A real run: a counter that forgets acknowledged increments when it crashes. */
async function realFailure(): Promise<RunResult> {
  const scenario = defineScenario({
    name: 'volatile counter',
    system: counterSystem,
    workload: [{ op: 'inc', rate: '40/s' }],
    faults: ['at 1s crash counter for 200ms'],
    invariants: ['acked-not-lost'],
    duration: '2s',
  });
  return runScenario(scenario, 1);
}

describe.runIf(run)('the HTML report in a headless browser', () => {
  it('loads with no console error and shows the violated invariant', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required (MICROCOSM_REQUIRE_SERVICES=1)`).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-report-'));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const pages = [
        { name: 'fixture', result: failedRun, invariant: 'no-oversell' },
        { name: 'real-run', result: await realFailure(), invariant: 'acked-not-lost' },
      ];
      for (const { name, result, invariant } of pages) {
        const file = join(dir, `${name}.html`);
        await writeFile(file, formatHtml(result));
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`console: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
        page.on('requestfailed', (request) => problems.push(`request: ${request.url()}`));
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

        expect(await page.locator('#violations .invariant').first().textContent(), name).toBe(invariant);
        expect(await page.locator('#verdict').textContent(), name).toContain('FAILED');
        expect(await page.locator('#timeline .lane').count(), name).toBeGreaterThanOrEqual(2);
        expect(await page.locator('#timeline .msg').count(), name).toBeGreaterThan(0);
        // The inline script works: unticking "messages" hides the arrows.
        await page.locator('#show-messages').uncheck();
        expect(await page.locator('#timeline .msg').first().isVisible(), name).toBe(false);
        expect(problems, name).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
