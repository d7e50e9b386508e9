import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startDashboard } from '../src/cli/dashboard/server.js';
import { badRequest } from '../src/micro/errors.js';
import { silentLogger } from '../src/micro/logger/index.js';
import { createService } from '../src/micro/service/service.js';
import { manualRuntime } from '../src/micro/testing/manual-runtime.js';
import { writeReports } from '../src/report/write.js';
import { runScenario } from '../src/scenarios/run.js';
import { defineScenario } from '../src/scenarios/scenario.js';
import { counterSystem } from '../src/scenarios/test-system.js';
import { browserTests, CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

// The dashboard in Debian's chromium, never a downloaded browser (see report-browser.test.ts).
const run = browserTests('dashboard-browser');

describe.runIf(run)('the dashboard in a headless browser', () => {
  it('shows a service the test started, its health and calls, and the runs of a reports folder', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required (MICROCOSM_REQUIRE_SERVICES=1)`).toBe(true);
    const reports = await mkdtemp(join(tmpdir(), 'microcosm-dashboard-'));
    const scenario = defineScenario({
      name: 'volatile counter',
      system: counterSystem,
      workload: [{ op: 'inc', rate: '40/s' }],
      faults: ['at 1s crash counter for 200ms'],
      invariants: ['acked-not-lost'],
      duration: '2s',
    });
    await writeReports(reports, [await runScenario(scenario, 1)]);

    // Its own in-process world (a runtime of its own), so nothing else registered shows up.
    const runtime = { ...manualRuntime(), clock: { now: () => Date.now() } };
    const inventory = createService({ name: 'inventory', version: '2.1.0', runtime, logger: silentLogger }).handle(
      'Stock',
      {
        Get: (request: { sku: string }) => ({ sku: request.sku, units: 3 }),
        Bad: () => {
          throw badRequest('no such sku');
        },
      },
    );
    const probe = createService({ name: 'probe', runtime, logger: silentLogger, health: false });
    await inventory.start();
    await probe.client.call('inventory', 'Stock.Get', { sku: 'a' });
    await probe.client.call('inventory', 'Stock.Bad', {}).catch(() => {});
    const dashboard = await startDashboard({ registry: inventory.registry, client: probe.client, reportsDir: reports });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      await page.goto(dashboard.url, { waitUntil: 'load' });
      await page.locator('#services td', { hasText: 'inventory' }).first().waitFor({ timeout: 10_000 });
      const row = (await page.locator('#services tbody tr').first().textContent()) ?? '';
      expect(row).toContain('inventory2.1.0');
      expect(row).toContain('serving');
      expect(row).toContain('Stock.Get');
      const calls = (await page.locator('#calls tbody').textContent()) ?? '';
      expect(calls).toContain('Stock.Get');
      expect(calls).toContain('BAD_REQUEST');
      const runs = (await page.locator('#runs tbody').textContent()) ?? '';
      expect(runs).toContain('volatile counter');
      expect(runs).toContain('FAIL');
      await page.screenshot({ path: join(tmpdir(), 'microcosm-dashboard.png'), fullPage: true });
      // The timeline link opens the run's own HTML report.
      await page.locator('#runs a').first().click();
      await page.waitForLoadState('load');
      expect(await page.locator('#verdict').textContent()).toContain('FAILED');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await dashboard.close();
      await inventory.stop();
      await probe.stop();
      await rm(reports, { recursive: true, force: true });
    }
  }, 60_000);
});
