import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { corruptOneRead, formatHistory, generateHistory, type HistoryEvent } from '../assertions/index.js';
import { checkCommand } from './check.js';

const dir = mkdtempSync(join(tmpdir(), 'microcosm-check-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const good = generateHistory({ kind: 'register', operations: 200, processes: 4, seed: 11 });
const goodLog = file('good.log', formatHistory(good, 'log'));
const badEdn = file('bad.edn', formatHistory(corruptOneRead(good, 3) ?? [], 'edn'));

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
});
afterEach(() => vi.restoreAllMocks());

describe('microcosm check', () => {
  it('exits 0 when every file is linearizable, printing one JSON line per file', async () => {
    const goodJson = file('good.jsonl', formatHistory(good, 'json'));
    expect(await checkCommand([goodLog, goodJson, '--model', 'register', '--json'])).toBe(0);
    const lines = out.map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.file, l.verdict])).toEqual([
      [goodLog, 'linearizable'],
      [goodJson, 'linearizable'],
    ]);
    expect(lines[0].operations).toBeGreaterThan(150);
    expect(typeof lines[0].ms).toBe('number');
  });

  it('exits 1 when any file is not linearizable, saying which operation cannot be placed', async () => {
    expect(await checkCommand([goodLog, badEdn, '--model', 'register'])).toBe(1);
    expect(out[1]).toContain(`${badEdn}: NOT linearizable`);
    expect(out[1]).toMatch(/cannot place: #\d+ p\d+ read → 1000003/);
  });

  it('exits 2 on a malformed file, naming the line', async () => {
    const broken = file('broken.edn', '{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type\n');
    expect(await checkCommand([broken, '--model', 'register'])).toBe(2);
    expect(err.join('\n')).toMatch(/line 2: EDN: unclosed "{" at column 1/);
  });

  it('exits 2 on bad usage', async () => {
    expect(await checkCommand([goodLog])).toBe(2);
    expect(await checkCommand([goodLog, '--model', 'btree'])).toBe(2);
    expect(await checkCommand([goodLog, '--model', 'kv', '--timeout', 'soon'])).toBe(2);
    expect(err.join('\n')).toContain('--timeout: expected a positive number of seconds, got "soon"');
  });

  it('exits 3 when the time limit leaves a file undecided', async () => {
    const hard: HistoryEvent[] = [];
    for (let p = 0; p < 14; p++) hard.push({ type: 'invoke', process: p, f: 'write', value: p });
    for (let p = 0; p < 14; p++) hard.push({ type: 'unknown', process: p, f: 'write', value: null });
    for (let i = 0; i < 14; i++) {
      hard.push(
        { type: 'invoke', process: 100 + i, f: 'read', value: null },
        { type: 'ok', process: 100 + i, f: 'read', value: 99 },
      );
    }
    const path = file('hard.jsonl', formatHistory(hard, 'json'));
    expect(await checkCommand([path, '--model', 'register', '--timeout', '0.001', '--json'])).toBe(3);
    expect(JSON.parse(out[0] as string).verdict).toBe('unknown');
  });
});
