/**
 * `npm run bench -- gateway [seconds]`: HTTP requests per second and p99 latency through the
 * gateway (`POST /echo/Echo.Say` → RPC over the in-process memory transport → JSON reply),
 * against a plain node:http server that parses the same JSON body and echoes it, in the same run.
 * One load generator for both: 16 concurrent keep-alive connections, the sides alternating in
 * rounds (baseline first) so machine noise hits both. Prints wall and process CPU time.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway, createService, silentLogger } from '@microcosm-ts/core';
import { serveHttp } from '@microcosm-ts/core/plugins/http';

const seconds = Number(process.argv[2] ?? 2);
const CONCURRENCY = 16;
const ROUNDS = 2;
const body = JSON.stringify({ text: 'hello gateway', n: 42 });

async function load(
  url: string,
  ms: number,
): Promise<{ count: number; latencies: number[]; cpuMs: number; wallMs: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(url);
  const latencies: number[] = [];
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const start = performance.now();
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            latencies.push(performance.now() - start);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { count: latencies.length, latencies, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? Number.NaN;

// Baseline: node:http, parse the JSON, echo it back.
const plain = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(parsed));
  });
});
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/echo/Echo.Say`;

const echo = createService({ name: 'echo', logger: silentLogger }).handle('Echo', {
  Say: (request: unknown) => request,
});
await echo.start();
const front = createService({ name: 'gateway', logger: silentLogger });
const server = await serveHttp(createGateway({ client: front.client, runtime: front.runtime }));
const gatewayUrl = `${server.url}/echo/Echo.Say`;

await load(plainUrl, 300); // warm-up, both sides
await load(gatewayUrl, 300);
const sides = { plain: [] as Awaited<ReturnType<typeof load>>[], gateway: [] as Awaited<ReturnType<typeof load>>[] };
for (let round = 0; round < ROUNDS; round++) {
  sides.plain.push(await load(plainUrl, (seconds * 1000) / ROUNDS));
  sides.gateway.push(await load(gatewayUrl, (seconds * 1000) / ROUNDS));
}
const sum = (runs: Awaited<ReturnType<typeof load>>[]) => {
  const count = runs.reduce((a, r) => a + r.count, 0);
  const wallMs = runs.reduce((a, r) => a + r.wallMs, 0);
  const cpuMs = runs.reduce((a, r) => a + r.cpuMs, 0);
  return {
    rps: (count * 1000) / wallMs,
    p99: p99(runs.flatMap((r) => r.latencies)),
    cpuUsPerReq: (cpuMs * 1000) / count,
    count,
  };
};
const base = sum(sides.plain);
const ours = sum(sides.gateway);
for (const [name, side] of [
  ['plain node:http echo', base],
  ['gateway → RPC echo', ours],
] as const)
  console.log(
    `${name.padEnd(22)} ${Math.round(side.rps).toLocaleString('en-US').padStart(8)} req/s  p99 ${side.p99.toFixed(2)} ms  cpu ${side.cpuUsPerReq.toFixed(0)} µs/req (process, load generator included)  n=${side.count}`,
  );
console.log(`p99 ratio (plain ÷ gateway, higher is better): ${(base.p99 / ours.p99).toFixed(2)}`);
await server.close();
await echo.stop();
await front.stop();
plain.close();
console.log(`ratio: ${(ours.rps / base.rps).toFixed(2)}`);
console.log(`gateway: ${Math.round(ours.rps)} req/s`);
