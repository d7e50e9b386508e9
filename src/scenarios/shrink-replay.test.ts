import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../report/write.js';
import { replayReport } from './replay.js';
import type { RunResult } from './result.js';
import { sweep } from './sweep.js';
import type { RunTask } from './task.js';

// A counter that forgets acknowledged increments when it crashes, among some noise faults.
const SCENARIO = `name: volatile counter
system:
  module: ${join(import.meta.dirname, 'test-system.ts')}
  export: counterSystem
workload:
  - { op: inc, rate: 40/s }
faults:
  - at 200ms pause client for 100ms
  - at 600ms loss client -> counter 0.2 for 100ms
  - at 1s crash counter for 200ms
  - at 1500ms skew client by 300ms
invariants: [acked-not-lost]
duration: 2s
`;

let dir: string;
let file: string;
const task = (seed: number, shrink: boolean): RunTask => ({
  file,
  scenario: 'volatile counter',
  seed,
  fileHoldsSeveral: false,
  shrink,
  reportDir: join(dir, 'reports'),
  sample: false,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microcosm-shrink-'));
  file = join(dir, 'counter.yaml');
  await writeFile(file, SCENARIO);
});

describe('shrinking a failure', () => {
  let failed: RunResult;
  beforeAll(async () => {
    [failed] = (await sweep([task(5, true)], { workers: 1 })) as [RunResult];
  });

  it('cuts the schedule down to the one fault that matters and most of the workload away', () => {
    expect(failed.passed).toBe(false);
    const shrink = failed.shrink;
    expect(shrink?.faultsBefore).toBe(4);
    expect(shrink?.minimal.faults).toEqual([{ type: 'crash', node: 'counter', at: 1000, for: 200 }]);
    expect(shrink?.opsBefore).toBeGreaterThan(50);
    expect(shrink?.opsAfter).toBeLessThanOrEqual(2);
    expect(shrink?.minimal.verdicts[0]?.holds).toBe(false);
    expect(shrink?.minimal.replayCommand).toBe(
      `npx microcosm replay ${join(dir, 'reports', 'volatile-counter-seed5-min.json')}`,
    );
  });

  it('replays the minimal case from its report with the same trace hash', async () => {
    await writeReports(join(dir, 'reports'), [failed]);
    const minimal = await replayReport(join(dir, 'reports', 'volatile-counter-seed5-min.json'), join(dir, 'reports'));
    expect(minimal.result.traceHash).toBe(failed.shrink?.minimal.traceHash);
    expect(minimal.identical).toBe(true);
    const full = await replayReport(join(dir, 'reports', 'volatile-counter-seed5.json'), join(dir, 'reports'));
    expect(full.result.traceHash).toBe(failed.traceHash);
    expect(full.result.faults).toHaveLength(4);
  });
});
