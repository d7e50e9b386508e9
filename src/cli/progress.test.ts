import { describe, expect, it } from 'vitest';
import { passedRun } from '../report/test-fixtures.js';
import { progressReporter } from './progress.js';

const capture = (tty: boolean) => {
  let err = '';
  const reporter = progressReporter({ out: () => {}, err: (t) => (err += t), tty, cwd: '.' });
  reporter.onResult(passedRun, 1, 4);
  reporter.onResult({ ...passedRun, seed: 2, passed: false }, 2, 4);
  reporter.end();
  return err;
};

describe('sweep progress', () => {
  it('redraws one bar on a terminal', () => {
    const err = capture(true);
    expect(err).toContain('\r[###############...............] 2/4 happy path seed 2 FAIL');
    expect(err.split('\n')).toHaveLength(2);
  });

  it('prints one plain line per run in a log', () => {
    expect(capture(false)).toBe('1/4 ok happy path seed 1 (40 ms)\n2/4 FAIL happy path seed 2 (40 ms)\n');
  });
});
