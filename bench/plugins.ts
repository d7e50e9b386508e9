// `npm run bench -- plugins`: operations per second of each real plugin against the local
// backends, beside the raw client doing the same work in the same run.
//
// Per operation: `concurrency` workers, each awaiting its operation before the next, for
// `measureMs` after a warmup; plugin and raw alternate for `rounds` rounds and each keeps its
// best round (the machine is shared; the best round is the least disturbed one).
// overhead = raw ops/s ÷ plugin ops/s (1.00× = no cost; goal ≤ 1.2×).
// Last lines: `ratio: X` (geometric mean of plugin ÷ raw, higher is better) and
// `plugins: X overhead` (geometric mean of overhead over every operation measured; the worst
// one is named beside it).
//
// Sections: one per backend (bench/_plugins-<backend>.ts). A backend that does not answer is
// reported and left out. Add NATS, RabbitMQ or MQTT by appending its section to SECTIONS.
import { describeAttempts, resolveBackend } from '../src/plugins/backends.js';
import { fmt, type Section, type Timing, throughput } from './_plugins-kit.js';
import { postgresSection } from './_plugins-postgres.js';
import { redisSection } from './_plugins-redis.js';

const SECTIONS: readonly Section[] = [redisSection, postgresSection];
const TIMING: Timing = { warmupMs: 100, measureMs: 300, concurrency: 8 };
const ROUNDS = 3;

const overheads: { name: string; overhead: number }[] = [];
for (const section of SECTIONS) {
  const backend = await resolveBackend(section.backend);
  if (backend.type === 'unavailable') {
    console.log(`skipped ${describeAttempts(backend)}`);
    continue;
  }
  const { operations, teardown } = await section.setup(backend.url);
  try {
    for (const operation of operations) {
      let ours = 0;
      let raw = 0;
      for (let round = 0; round < ROUNDS; round++) {
        ours = Math.max(ours, await throughput(operation.runOurs, TIMING));
        raw = Math.max(raw, await throughput(operation.runRaw, TIMING));
      }
      const overhead = raw / ours;
      overheads.push({ name: operation.name, overhead });
      console.log(
        `${operation.name.padEnd(32)} plugin ${fmt(ours).padStart(7)} ops/s   raw ${fmt(raw).padStart(7)} ops/s` +
          `   overhead ${overhead.toFixed(2)}×   (raw: ${operation.raw})`,
      );
    }
  } finally {
    await teardown();
  }
}

if (overheads.length === 0) {
  console.log('plugins: no backend answered');
  process.exit(1);
}
const geomean = Math.exp(overheads.reduce((sum, o) => sum + Math.log(o.overhead), 0) / overheads.length);
const worst = overheads.reduce((a, b) => (b.overhead > a.overhead ? b : a));
console.log(`ratio: ${(1 / geomean).toFixed(2)}`);
console.log(
  `plugins: ${geomean.toFixed(2)}× overhead (geometric mean over ${overheads.length} operations; ` +
    `worst ${worst.overhead.toFixed(2)}× ${worst.name})`,
);
process.exit(0);
