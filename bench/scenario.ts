// bench/scenario: the example shop under 100 checkouts/s for 10 virtual minutes (`--minutes M` to
// change), run once in this process: how much faster than real time the simulation runs
// (virtual ÷ wall). Then the seed throughput of a sweep on 2 worker threads, measured on the
// 1-minute variant (4 seeds) so the bench stays short; the 10-minute figure is that ÷ 10 and is
// printed as such. Beside the run: its CPU time, the process's peak RSS after it (before any
// worker starts), and the floor — the same kernel events per checkout as bare promise hops
// through a heap (bench/_shop-floor.ts), run just before — with the ratio of the shop to it.
// Last line: `scenario: X x`.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runScenario, sweep } from '@microcosm-ts/core/sim';
import { shopFloor } from './_shop-floor.js';

const minutesArg = process.argv.indexOf('--minutes');
const minutes = minutesArg === -1 ? 10 : Number(process.argv[minutesArg + 1]);
if (!(minutes > 0)) throw new Error(`--minutes: expected a positive number, got ${process.argv[minutesArg + 1]}`);
process.env.MICROCOSM_BENCH_MINUTES = String(minutes);
const file = join(import.meta.dirname, '_scenario-shop.ts');
const { default: scenario } = await import('./_scenario-shop.js');

const cpuStarted = process.cpuUsage();
const started = performance.now();
const result = await runScenario(scenario, 1, { timeline: 'never' });
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
const cpuMs = (cpu.user + cpu.system) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
if (result.outcome !== 'held') throw new Error(`the bench run did not hold: ${result.outcome} ${result.error ?? ''}`);
const ratio = result.virtualMs / wallMs;
console.log(
  `one run: ${minutes} virtual min, ${result.operations.total} checkouts (${result.operations.ok} ok), ` +
    `${result.traceEvents} kernel events in ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU ` +
    `(${Math.round(result.traceEvents / (wallMs / 1000))} events/s, ` +
    `${Math.round((1000 * cpuMs) / result.operations.total)} µs CPU per checkout); peak RSS ${peakRssMb.toFixed(0)} MB`,
);
// The floor: the same events per checkout at the same rate, as bare hops (after the run, so both are warm).
const floor = await shopFloor({
  virtualMs: result.virtualMs,
  checkoutsPerSecond: 100,
  eventsPerCheckout: result.traceEvents / result.operations.total,
  latencyMs: 2,
});
const floorRatio = result.virtualMs / floor.wallMs;
console.log(
  `floor (bare hops through a heap): ${floor.events} events in ${(floor.wallMs / 1000).toFixed(2)} s wall, ` +
    `${(floor.cpuMs / 1000).toFixed(2)} s CPU: ${floorRatio.toFixed(0)} x virtual/wall`,
);
console.log(
  `ratio to the floor: ${(ratio / floorRatio).toFixed(3)} (wall), ${(floor.cpuMs / cpuMs).toFixed(3)} (CPU)`,
);

// Seeds per minute: 4 seeds of the 1-minute variant over 2 workers (workers read the env var).
process.env.MICROCOSM_BENCH_MINUTES = '1';
const seeds = [1, 2, 3, 4];
const sweepStarted = performance.now();
const results = await sweep(
  seeds.map((seed) => ({
    file,
    scenario: scenario.name,
    seed,
    fileHoldsSeveral: false,
    shrink: false,
    reportDir: 'reports',
    sample: false,
  })),
  { workers: 2 },
);
const sweepMinutes = (performance.now() - sweepStarted) / 60_000;
const perMinute = seeds.length / sweepMinutes;
if (results.some((r) => r.outcome !== 'held')) throw new Error('a sweep run did not hold');
console.log(
  `seeds/min on 2 workers: ${perMinute.toFixed(1)} (1-minute variant), ~${(perMinute / 10).toFixed(2)} for the 10-minute scenario`,
);
console.log(`virtual/wall goal: 300 x`);
console.log(`scenario: ${ratio.toFixed(1)} x`);
