/**
 * Hand-built run results for the formatters' tests (and the browser test): a bug-hunt that found
 * an oversell after a pause, shrunk to two faults, and a clean passing run.
 */
import type { RunResult, Timeline } from '../scenarios/result.js';

const timeline: Timeline = {
  nodes: ['client', 'gateway-1', 'inventory-1', 'inventory-2', 'locks'],
  durationMs: 4000,
  messages: [
    { from: 'client', to: 'gateway-1', sentAt: 100, at: 103, outcome: 'delivered', label: 'checkout' },
    { from: 'gateway-1', to: 'inventory-1', sentAt: 103, at: 106, outcome: 'delivered' },
    { from: 'inventory-1', to: 'locks', sentAt: 106, at: 108, outcome: 'delivered', label: 'lock sku-1' },
    { from: 'inventory-2', to: 'locks', sentAt: 1400, at: 1403, outcome: 'delivered', label: 'lock sku-1' },
    { from: 'inventory-1', to: 'inventory-2', sentAt: 2200, outcome: 'dropped', at: 2201 },
    { from: 'gateway-1', to: 'client', sentAt: 3900, outcome: 'in-flight' },
  ],
  messagesOmitted: 12,
  faults: [{ at: 200, until: 2500, label: 'pause inventory-1 for 2.3s', nodes: ['inventory-1'] }],
  operations: [
    { id: 1, client: 'client', label: 'checkout sku-1', invokedAt: 100, completedAt: 2600, outcome: 'ok' },
    { id: 2, client: 'client', label: 'checkout sku-1', invokedAt: 1300, completedAt: 1500, outcome: 'ok' },
    { id: 3, client: 'client', label: 'checkout sku-1', invokedAt: 3000, outcome: 'unknown', detail: 'timeout' },
  ],
  marks: [{ at: 2500, node: 'inventory-1', label: 'resume' }],
  violations: [
    { invariant: 'no-oversell', message: 'sku-1 sold 2 units with 1 in stock', at: 2550, node: 'inventory-1' },
  ],
};

const minimal: RunResult = {
  scenario: 'unfenced lock holder pause',
  seed: 7,
  outcome: 'violated',
  passed: true,
  expectViolated: 'no-oversell',
  verdicts: [
    {
      invariant: 'no-oversell',
      holds: false,
      violations: [
        {
          invariant: 'no-oversell',
          message: 'sku-1 sold 2 units with 1 in stock',
          at: 2550,
          node: 'inventory-1',
          events: [{ time: 2500, type: 'write', node: 'inventory-1', detail: 'stock sku-1 = 0 (stale lock)' }],
        },
      ],
    },
    { invariant: 'no-double-charge', holds: true, violations: [] },
  ],
  traceHash: 'a1b2c3d4e5f60718',
  traceEvents: 80,
  virtualMs: 4000,
  wallMs: 12.4,
  operations: { total: 3, ok: 2, fail: 0, unknown: 1 },
  faults: [{ type: 'pause', node: 'inventory-1', at: 200, for: 2300 }],
  replay: {
    file: 'scenarios/unfenced.yaml',
    scenario: 'unfenced lock holder pause',
    seed: 7,
    faults: [{ type: 'pause', node: 'inventory-1', at: 200, for: 2300 }],
  },
  replayCommand: 'npx microcosm replay reports/unfenced-lock-holder-pause-seed7-min.json',
  timeline,
};

/** A bug-hunt run that found its bug (`passed`, yet `no-oversell` violated) and shrank it. */
export const foundBug: RunResult = {
  ...minimal,
  traceHash: 'ffeeddccbbaa0099',
  traceEvents: 900,
  virtualMs: 10_000,
  wallMs: 85,
  operations: { total: 40, ok: 37, fail: 1, unknown: 2 },
  faults: [
    { type: 'crash', node: 'payments-1', at: 1000, for: 500 },
    { type: 'pause', node: 'inventory-1', at: 200, for: 2300 },
    { type: 'partition', a: ['orders'], b: ['broker'], at: 5000, for: 1000 },
  ],
  replay: { file: 'scenarios/unfenced.yaml', scenario: 'unfenced lock holder pause', seed: 7 },
  replayCommand: 'npx microcosm run scenarios/unfenced.yaml --seed 7',
  shrink: { faultsBefore: 3, faultsAfter: 1, opsBefore: 40, opsAfter: 3, runs: 21, minimal },
};

/** A plain invariant violation: not expected, so the run failed. */
const { expectViolated: _expected, ...unexpected } = foundBug;
export const failedRun: RunResult = { ...unexpected, scenario: 'orders <partition> broker', passed: false };

export const passedRun: RunResult = {
  scenario: 'happy path',
  seed: 1,
  outcome: 'held',
  passed: true,
  verdicts: [{ invariant: 'no-oversell', holds: true, violations: [] }],
  traceHash: '0123456789abcdef',
  traceEvents: 500,
  virtualMs: 10_000,
  wallMs: 40,
  operations: { total: 50, ok: 50, fail: 0, unknown: 0 },
  faults: [],
  replay: { file: 'scenarios/happy.yaml', scenario: 'happy path', seed: 1 },
  replayCommand: 'npx microcosm run scenarios/happy.yaml --seed 1',
};
