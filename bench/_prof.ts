import { runScenario } from '@microcosm-ts/core/sim';
process.env.MICROCOSM_BENCH_MINUTES = process.env.MIN ?? '1';
const { default: scenario } = await import('/work/main/bench/_scenario-shop.js');
const c = process.cpuUsage(); const t = performance.now();
const r = await runScenario(scenario, 1, { timeline: 'never' });
const cpu = process.cpuUsage(c);
console.log(r.outcome, r.operations.total, r.traceEvents, 'wall', (performance.now()-t).toFixed(0), 'cpu', ((cpu.user+cpu.system)/1000).toFixed(0), 'ratio', (r.virtualMs/(performance.now()-t)).toFixed(2), 'rss', (process.resourceUsage().maxRSS/1024).toFixed(0));
