/**
 * scale: many idle service instances in one simulation. N sim nodes (default 10,000) each start
 * a service (one handler, the sim registry and transport) and then idle for the run: the only
 * work is periodic — registry re-registrations and their TTL timers. Prints the boot time, the
 * virtual/wall ratio of the idle phase, the heap per instance, and last the idle instances one
 * wall second simulates at real time (instances × virtual/wall).
 * Usage: npm run bench -- scale [instances = 10000] [virtual seconds = 60]
 */
import { createService, silentLogger } from '@microcosm-ts/core';
import { createSim, serveRegistry, simRegistry, simTransport } from '@microcosm-ts/core/sim';

const N = Number(process.argv[2] ?? 10_000);
const VIRTUAL_S = Number(process.argv[3] ?? 60);
if (!(Number.isInteger(N) && N > 0)) throw new Error(`instances: expected a positive integer, got ${process.argv[2]}`);
if (!(VIRTUAL_S > 0)) throw new Error(`virtual seconds: expected a positive number, got ${process.argv[3]}`);

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

const heapBefore = heap();
const sim = createSim({ seed: 'scale' });
sim.node('registry', (ctx) => {
  serveRegistry(ctx);
});
let started = 0;
for (let i = 0; i < N; i++) {
  sim.node(`svc-${i}`, async (ctx) => {
    const service = createService({
      name: `svc-${i % 100}`,
      runtime: ctx.runtime,
      registry: simRegistry(ctx),
      transport: simTransport(ctx),
      logger: silentLogger,
    }).handle('Idle', { Ping: () => 'pong' });
    await service.start();
    started++;
  });
}
const bootWall = performance.now();
await sim.runUntil(() => started === N, { limitMs: 60_000 });
const bootS = (performance.now() - bootWall) / 1000;
const bootVirtual = sim.now;

const wall = performance.now();
const cpu = process.cpuUsage();
const events = sim.stats.events;
await sim.runFor(VIRTUAL_S * 1000);
const wallS = (performance.now() - wall) / 1000;
const cpuS = cpuSeconds(cpu);
const kbPerInstance = (heap() - heapBefore) / N / 1024;
const ratio = VIRTUAL_S / wallS;
console.log(
  `${N} instances booted in ${bootS.toFixed(1)} s wall (${bootVirtual} virtual ms, ${Math.round(N / bootS)} instances/s)`,
);
console.log(
  `idle ${VIRTUAL_S} virtual s: ${sim.stats.events - events} kernel events in ${wallS.toFixed(1)} s wall, ${cpuS.toFixed(1)} s CPU: ` +
    `${ratio.toFixed(1)} x virtual/wall (${(VIRTUAL_S / cpuS).toFixed(1)} x per CPU second)`,
);
console.log(`heap per instance: ${kbPerInstance.toFixed(1)} KB${gc === undefined ? ' (run with --expose-gc for a settled figure)' : ''}`);
sim.dispose();
// Idle instances simulated per wall second of simulation: instances × virtual/wall, i.e. instance-seconds
// of virtual life per wall second (not the boot rate above).
console.log(`scale: ${Math.round(N * ratio)} instance-seconds/s`);
