import { describe, expect, it } from 'vitest';
import { parseShard, runKey, selectTasks } from './select-tasks.js';

const tasks = ['a', 'b', 'c'].flatMap((scenario) => [1, 2, 3, 4].map((seed) => ({ scenario, seed })));

describe('selectTasks', () => {
  it('splits the runs into disjoint shards whose union is the whole run, in order', () => {
    for (const count of [1, 2, 3, 5, 20]) {
      const shards = Array.from({ length: count }, (_, i) => selectTasks(tasks, { shard: { index: i + 1, count } }));
      const union = shards.flat().sort((x, y) => x.order - y.order);
      expect(union.map((s) => s.task)).toEqual(tasks);
      expect(new Set(union.map((s) => s.order)).size).toBe(tasks.length);
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('filters by scenario name and by the last failures, keeping each run’s place in the whole', () => {
    expect(selectTasks(tasks, { grep: /^B$/i }).map((s) => [s.task.scenario, s.order])).toEqual([
      ['b', 4],
      ['b', 5],
      ['b', 6],
      ['b', 7],
    ]);
    const only = new Set([runKey('c', 2), runKey('a', 4)]);
    expect(selectTasks(tasks, { only }).map((s) => s.order)).toEqual([3, 9]);
  });

  it('rejects a malformed shard', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0']) expect(() => parseShard(bad), bad).toThrow('--shard');
  });
});
