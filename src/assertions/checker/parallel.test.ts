import { describe, expect, it } from 'vitest';
import { corruptOneRead, generateHistory } from '../generate.js';
import { checkHistory } from './check.js';
import { checkHistoryParallel } from './parallel.js';

describe('checking in worker threads', () => {
  it('reaches the same verdicts as in-process checking', async () => {
    const history = generateHistory({ kind: 'kv', operations: 2000, processes: 8, keys: 20, seed: 3 });
    const corrupted = corruptOneRead(history, 5) ?? [];
    const [good, bad] = await Promise.all([
      checkHistoryParallel(history, 'kv', { parallel: 'always', workers: 2 }),
      checkHistoryParallel(corrupted, 'kv', { parallel: 'always', workers: 2 }),
    ]);
    expect(good.type).toBe('linearizable');
    expect(good.operations).toBe(checkHistory(history, (await import('../models/kv.js')).kv).operations);
    expect(bad.type).toBe('not-linearizable');
    if (bad.type === 'not-linearizable') expect(bad.violations[0]?.stuck?.f).toBe('get');
  });

  it('refuses a model that cannot travel to a worker, naming it', async () => {
    await expect(checkHistoryParallel([], 'nope' as never)).rejects.toThrow(/"nope" is not a built-in model/);
  });
});
