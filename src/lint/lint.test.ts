import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LintInputError } from './files.js';
import { lint } from './lint.js';

const dir = mkdtempSync(join(tmpdir(), 'microcosm-lint-'));
let n = 0;

/** Lint one file with this text; its findings as `line:col rule`. */
async function findings(text: string, ext = 'ts'): Promise<string[]> {
  const file = join(dir, `case-${++n}.${ext}`);
  writeFileSync(file, text);
  const result = await lint([file]);
  return result.findings.map((f) => `${f.line}:${f.column} ${f.rule}`);
}

describe('lint rules (a planted case, a clean case)', () => {
  it('real-io-import: node built-ins and raw-socket clients, however imported', async () => {
    expect(
      await findings(`import net from 'node:net';
export { request } from 'https';
const cp = await import('node:child_process');
const { Worker } = require('worker_threads');
import { Redis } from 'ioredis';
import type { Socket } from 'node:dgram';
`),
    ).toEqual([
      '1:1 real-io-import',
      '2:1 real-io-import',
      '3:18 real-io-import',
      '4:20 real-io-import',
      '5:1 real-io-import',
    ]);
    expect(
      await findings(`import { readFile } from 'node:fs';
import type { Server } from 'node:http';
import { createService } from '@microcosm-ts/core';
export const netless = 'node:net';
`),
    ).toEqual([]);
  });

  it('crypto-subtle: WebCrypto settles in real time', async () => {
    expect(await findings(`export const digest = (b: Uint8Array) => crypto.subtle.digest('SHA-256', b);`)).toEqual([
      '1:42 crypto-subtle',
    ]);
    expect(
      await findings(`import { createHash } from 'node:crypto';
export const digest = (b: Uint8Array) => createHash('sha256').update(b).digest();`),
    ).toEqual([]);
  });

  it('hrtime: the real monotonic clock', async () => {
    expect(await findings(`export const t = () => process.hrtime.bigint();`)).toEqual(['1:24 hrtime']);
    expect(await findings(`export const t = () => performance.now();`)).toEqual([]);
  });

  it('time-origin: the real process start', async () => {
    expect(await findings(`export const epoch = () => performance.timeOrigin + performance.now();`)).toEqual([
      '1:28 time-origin',
    ]);
    expect(await findings(`export const epoch = (clock: { now(): number }) => clock.now();`)).toEqual([]);
  });

  it('abort-signal-timeout: a real timer behind the signal', async () => {
    expect(await findings(`export const get = (u: string) => fetch(u, { signal: AbortSignal.timeout(500) });`)).toEqual(
      ['1:54 abort-signal-timeout'],
    );
    expect(
      await findings(`export function get(u: string) {
  const c = new AbortController();
  setTimeout(() => c.abort(), 500);
  return fetch(u, { signal: c.signal });
}`),
    ).toEqual([]);
  });

  it('module-load-clock: read, started or captured when the module loads', async () => {
    expect(
      await findings(`const started = Date.now();
const born = new Date();
const tick = setInterval(() => {}, 1000);
const rand = Math.random;
const { setTimeout: later } = globalThis;
const real = globalThis.setTimeout.bind(globalThis);
class Ids { static seed = Math.random(); }
`),
    ).toEqual([
      '1:17 module-load-clock',
      '2:14 module-load-clock',
      '3:14 module-load-clock',
      '4:14 module-load-clock',
      '5:9 module-load-clock',
      '6:14 module-load-clock',
      '7:27 module-load-clock',
    ]);
    expect(
      await findings(`export const now = () => Date.now();
export function later(fn: () => void) { return setTimeout(fn, 10); }
class Ids { seed = Math.random(); }
const epoch = new Date(0);
type T = typeof setTimeout;
`),
    ).toEqual([]);
  });

  it('ambient-runtime: globals where the runtime is in scope', async () => {
    expect(
      await findings(`import type { Runtime } from '@microcosm-ts/core';
export function lease(runtime: Runtime, ttlMs: number) {
  const expires = Date.now() + ttlMs;
  return { expires, jitter: Math.random(), timer: setTimeout(() => {}, ttlMs) };
}
export class Cache {
  constructor(private readonly rt: Runtime) {}
  stamp() { return new Date(); }
}
`),
    ).toEqual(['3:19 ambient-runtime', '4:29 ambient-runtime', '4:51 ambient-runtime', '8:20 ambient-runtime']);
    expect(
      await findings(`import type { Runtime } from '@microcosm-ts/core';
export function lease(runtime: Runtime, ttlMs: number) {
  return { expires: runtime.clock.now() + ttlMs, timer: runtime.timers.setTimeout(() => {}, ttlMs) };
}
export const plain = () => Date.now();
`),
    ).toEqual([]);
  });

  it('parses JavaScript too', async () => {
    expect(await findings(`const dgram = require('node:dgram');\nmodule.exports = dgram;`, 'cjs')).toEqual([
      '1:15 real-io-import',
    ]);
  });
});

describe('lint ignores', () => {
  it('silences a rule on its line or the next, with a reason', async () => {
    expect(
      await findings(`// microcosm-lint-ignore real-io-import: the launcher runs outside any simulation
import { spawn } from 'node:child_process';
export const t = process.hrtime(); // microcosm-lint-ignore hrtime, module-load-clock: a benchmark's own clock
`),
    ).toEqual([]);
  });

  it('silences a whole file with -file', async () => {
    expect(
      await findings(`// microcosm-lint-ignore-file real-io-import: a real process by design
import net from 'node:net';
import http from 'node:http';
`),
    ).toEqual([]);
  });

  it('reports an ignore without a reason, of an unknown rule, or that silences nothing', async () => {
    expect(
      await findings(`// microcosm-lint-ignore real-io-import
import net from 'node:net';
// microcosm-lint-ignore no-such-rule: because
// microcosm-lint-ignore hrtime: nothing here reads it
export const s = '// microcosm-lint-ignore inside a string is not a comment';
`),
    ).toEqual(['1:1 bad-ignore', '2:1 real-io-import', '3:1 bad-ignore', '4:1 unused-ignore']);
  });

  it('names a missing path as bad input', async () => {
    await expect(lint([join(dir, 'nowhere')])).rejects.toBeInstanceOf(LintInputError);
  });
});
