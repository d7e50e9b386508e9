// Debian's chromium for the browser tests — never a downloaded browser. A test file asks
// `browserTests(name)` whether to run: absent chromium skips with one printed line, except under
// MICROCOSM_REQUIRE_SERVICES=1 (CI), where the file runs and its first check fails.
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless chromium on a machine with no network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether `file`'s browser tests run; prints the one skip line when they do not. */
export function browserTests(file: string): boolean {
  const available = existsSync(CHROMIUM);
  const required = process.env.MICROCOSM_REQUIRE_SERVICES === '1';
  if (!available && !required)
    console.log(`${file}: skipped, ${CHROMIUM} is absent (apt-get install chromium to run it)`);
  return available || required;
}
