// Linearizability checking speed on generated histories (see src/assertions/generate.ts):
//   kv:       10 000 operations, 10 processes, 100 keys (checked per key)
//   register:  1 000 operations,  5 processes, one key
// Each workload is checked once to warm up, then ROUNDS times; the figure is operations
// checked per second of wall time over the timed rounds (pairing, partitioning and search
// included; generation excluded). CPU time is printed beside it: on a shared machine it
// varies less from run to run than wall time does.
import { type CheckResult, checkHistory, generateHistory, kv, register } from '@microcosm-ts/core/sim';

const ROUNDS = 5;
const kvHistory = generateHistory({ kind: 'kv', operations: 10_000, processes: 10, keys: 100, seed: 7 });
const registerHistory = generateHistory({ kind: 'register', operations: 1_000, processes: 5, keys: 1, seed: 7 });
const workloads: readonly { name: string; check: () => CheckResult }[] = [
  { name: 'kv 10k ops, 10 processes, 100 keys', check: () => checkHistory(kvHistory, kv) },
  { name: 'register 1k ops, 5 processes, 1 key', check: () => checkHistory(registerHistory, register) },
];

let totalOps = 0;
let totalMs = 0;
let totalCpuMs = 0;
for (const { name, check } of workloads) {
  check();
  let ops = 0;
  let ms = 0;
  let cpuMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = check();
    ms += performance.now() - start;
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    if (result.type !== 'linearizable') throw new Error(`${name}: expected linearizable, got ${result.type}`);
    ops += result.operations;
  }
  const rate = (per: number) => Math.round((ops / per) * 1000);
  console.log(
    `${name}: ${ops / ROUNDS} ops in ${(ms / ROUNDS).toFixed(1)} ms — ${rate(ms)} ops/s wall, ${rate(cpuMs)} ops/s cpu`,
  );
  totalOps += ops;
  totalMs += ms;
  totalCpuMs += cpuMs;
}
console.log(`all workloads: ${Math.round((totalOps / totalCpuMs) * 1000)} ops/s cpu`);
console.log(`linearizability: ${Math.round((totalOps / totalMs) * 1000)} ops/s`);
