import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { browserTests, CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

// Two shards of a sweep, merged, opened in Debian's headless chromium (never a downloaded one).
const run = browserTests('merge-browser');

const SYSTEM = join(import.meta.dirname, '..', 'src', 'scenarios', 'test-system.ts');
const scenario = `name: volatile counter
system: { module: ${SYSTEM}, export: counterSystem, options: { durable: false } }
workload: [{ op: inc, rate: 40/s }]
faults: [at 500ms crash counter for 200ms]
invariants: [acked-not-lost]
duration: 1s
seeds: 4
`;

const quiet = (cwd: string): CliIo => ({ out: () => {}, err: () => {}, tty: false, cwd });

describe.runIf(run)('the merged report in a headless browser', () => {
  it('opens index.html, follows a link to a run page, and that page starts with its title, seed and replay', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required (MICROCOSM_REQUIRE_SERVICES=1)`).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'microcosm-merge-browser-'));
    await mkdir(join(dir, 'scenarios'));
    await writeFile(join(dir, 'scenarios', 'volatile.yaml'), scenario);
    for (const shard of ['1/2', '2/2'])
      await main(
        ['run', '--no-shrink', '--workers', '1', '--shard', shard, '--report', `shard-${shard[0]}`],
        quiet(dir),
      );
    expect(await main(['merge', 'shard-1', 'shard-2', '--report', 'merged'], quiet(dir))).toBe(1);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      await page.goto(pathToFileURL(join(dir, 'merged', 'index.html')).href, { waitUntil: 'load' });
      expect(await page.locator('#headline').textContent()).toContain('4 of 4 run(s) failed');
      expect(await page.locator('a[href$="-seed3.html"]').count()).toBe(1);

      await page.locator('a[href$="-seed3.html"]').click();
      await page.waitForLoadState('load');
      expect(page.url()).toContain('volatile-counter-seed3.html');
      expect(await page.locator('h1').textContent()).toContain('seed 3');
      expect(await page.locator('#replay').textContent()).toContain('--seed 3');
      // Nothing scrolled the page: the title, the seed and the replay command are on screen.
      expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
      expect(await page.locator('h1').isVisible()).toBe(true);
      const replayBox = await page.locator('#replay').boundingBox();
      expect(replayBox?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(700);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
