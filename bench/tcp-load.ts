// Load over real sockets: 200 client services × 500 sequential calls each, all clients at once,
// against one greeter service — over plain TCP, then over mutual TLS with service identities.
// Prints errors, p50/p99 latency, throughput, CPU time and heap before/after (after a full GC)
// per mode; the last line is the TLS throughput and `ratio: X` = TLS ÷ TCP throughput.
// `npm run bench -- tcp-load [clients] [calls]`.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createService, MemoryRegistry, type MicroService, silentLogger } from '../src/index.js';
import { testCa } from '../src/plugins/tcp/test-certs.js';
import { type TcpTlsOptions, type TcpTransport, tcpTransport } from '../src/plugins/tcp/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const clients = Number(process.argv[2] ?? 200);
const calls = Number(process.argv[3] ?? 500);
const MiB = 1024 * 1024;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed / MiB;
};

async function run(mode: string, tlsFor?: (service: string, peers: string[]) => TcpTlsOptions): Promise<number> {
  const registry = new MemoryRegistry();
  const transports: TcpTransport[] = [];
  const transport = (service: string, peers: string[]) => {
    const t = tcpTransport(tlsFor === undefined ? {} : { tls: tlsFor(service, peers) });
    transports.push(t);
    return t;
  };
  const greeter = createService({
    name: 'greeter',
    registry,
    transport: transport('greeter', ['caller']),
    logger: silentLogger,
    server: { address: '127.0.0.1:0' },
  });
  greeter.handle('Greeter', { Hello: ({ name }: { name: string }) => ({ message: `Hello, ${name}` }) });
  await greeter.start();
  const callers: MicroService[] = Array.from({ length: clients }, () =>
    createService({ name: 'caller', registry, transport: transport('caller', ['greeter']), logger: silentLogger }),
  );
  const heapBefore = heap();
  const latencies = new Float64Array(clients * calls);
  let errors = 0;
  const kinds = new Map<string, number>();
  let n = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    callers.map(async (caller, c) => {
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        try {
          await caller.client.call('greeter', 'Greeter.Hello', { name: `c${c}-${i}` });
        } catch (error) {
          errors++;
          const e = error as { code?: string; detail?: string };
          const kind = `${e.code}: ${(e.detail ?? String(error)).slice(0, 100)}`;
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
        latencies[n++] = performance.now() - t0;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const heapAfter = heap();
  latencies.sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const rate = (clients * calls) / (wallMs / 1000);
  console.log(
    `${mode}: ${clients}×${calls} calls, errors ${errors}, p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, ` +
      `${Math.round(rate)} calls/s (wall ${(wallMs / 1000).toFixed(1)} s, cpu ${((used.user + used.system) / 1e6).toFixed(1)} s), ` +
      `heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MiB`,
  );
  for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`  ${count}× ${kind}`);
  for (const caller of callers) await caller.stop();
  await greeter.stop();
  await Promise.all(transports.map((t) => t.close()));
  return rate;
}

const tcp = await run('tcp');
const ca = testCa();
const identities = new Map<string, ReturnType<typeof ca.issue>>();
const tls = await run('tls', (service, peers) => {
  const id = identities.get(service) ?? ca.issue(service, { file: service });
  identities.set(service, id);
  return { cert: id.cert, key: id.key, ca: ca.ca, peers };
});
ca.remove();
console.log(`ratio: ${(tls / tcp).toFixed(2)}`);
console.log(`tcp-load: ${Math.round(tls)} calls/s`);
