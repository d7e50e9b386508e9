// `npm run bench -- plugins`: operations per second of each real plugin against the local
// backends, beside the raw client doing the same work in the same run.
//
// Per operation: `concurrency` workers, each awaiting its operation before the next; after a
// warmup, plugin and raw alternate in short slices (the machine is shared and its load moves;
// alternating lets both sides see the same load), and each side's ops/s is its total count
// over its total time.
// overhead = raw ops/s ÷ plugin ops/s (1.00× = no cost; goal ≤ 1.2×). Each line also shows this
// process's CPU time per operation on both sides: the client-side cost of the plugin, which a
// loaded machine disturbs far less than wall-clock throughput.
// Last lines: `ratio: X` (geometric mean of plugin ÷ raw, higher is better) and
// `plugins: X overhead` (geometric mean of overhead over every operation measured; the worst
// one is named beside it).
//
// Sections: one per backend (bench/_plugins-<backend>.ts). A backend that does not answer is
// reported and left out. Add a backend by appending its section to SECTIONS.
import { describeAttempts, resolveBackend } from '../src/plugins/backends.js';
import { compare, fmt, type Section, type Timing } from './_plugins-kit.js';
import { mqttSection } from './_plugins-mqtt.js';
import { mysqlSection } from './_plugins-mysql.js';
import { natsSection } from './_plugins-nats.js';
import { postgresSection } from './_plugins-postgres.js';
import { rabbitmqSection } from './_plugins-rabbitmq.js';
import { redisSection } from './_plugins-redis.js';

const SECTIONS: readonly Section[] = [
  redisSection,
  postgresSection,
  mysqlSection,
  natsSection,
  rabbitmqSection,
  mqttSection,
];
const TIMING: Timing = { warmupMs: 100, sliceMs: 100, slices: 8, concurrency: 8 };

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
      const { ours, raw } = await compare(operation.runOurs, operation.runRaw, TIMING);
      const overhead = raw.perSecond / ours.perSecond;
      overheads.push({ name: operation.name, overhead });
      console.log(
        `${operation.name.padEnd(30)} plugin ${fmt(ours.perSecond).padStart(6)} ops/s ` +
          `${ours.cpuMicros.toFixed(0).padStart(4)} µs cpu/op   raw ${fmt(raw.perSecond).padStart(6)} ops/s ` +
          `${raw.cpuMicros.toFixed(0).padStart(4)} µs cpu/op   overhead ${overhead.toFixed(2)}×   (raw: ${operation.raw})`,
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
