// Shared by bench/rpc.ts: sequential request/response loops, bounded in time, interleaved so
// that two systems measured in one run see the same machine load.
import { createServer } from 'node:net';

export interface Measurement {
  readonly calls: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency percentiles in microseconds. */
  readonly p50: number;
  readonly p99: number;
  /** This process's CPU time (user + system) per call, in microseconds: steadier than wall time on a busy machine. */
  readonly cpuPerCall: number;
}

export interface System {
  readonly name: string;
  /** `batch` sequential requests/responses (default one), awaited. */
  call(): Promise<unknown>;
  /** How many calls one `call()` makes; latency is then reported per call. Default 1. */
  readonly batch?: number;
}

export interface Plan {
  readonly warmupMs: number;
  /** Rounds alternate which system goes first; each system runs `roundMs` per round. */
  readonly rounds: number;
  readonly roundMs: number;
}

/** Warm both systems, then run them in alternating rounds; returns one measurement each. */
export async function compare(a: System, b: System, plan: Plan): Promise<[Measurement, Measurement]> {
  for (const system of [a, b]) await loop(system, plan.warmupMs, []);
  const tallies = [a, b].map((system) => ({ system, latencies: [] as number[], seconds: 0, cpuMicros: 0 }));
  for (let round = 0; round < plan.rounds; round++) {
    for (const tally of round % 2 === 0 ? tallies : [...tallies].reverse()) {
      const before = process.cpuUsage();
      tally.seconds += await loop(tally.system, plan.roundMs, tally.latencies);
      const used = process.cpuUsage(before);
      tally.cpuMicros += used.user + used.system;
    }
  }
  const [first, second] = tallies.map((t) => summarise(t.latencies, t.seconds, t.cpuMicros, t.system.batch ?? 1));
  return [first as Measurement, second as Measurement];
}

/** Call back to back for `ms`, pushing each latency (ms); returns the seconds spent. */
async function loop(system: System, ms: number, latencies: number[]): Promise<number> {
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    const before = now;
    await system.call();
    now = performance.now();
    latencies.push(now - before);
  }
  return (now - start) / 1000;
}

function summarise(latencies: number[], seconds: number, cpuMicros: number, batch: number): Measurement {
  const sorted = [...latencies].sort((x, y) => x - y);
  const at = (q: number) =>
    Math.round(((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1000) / batch);
  const calls = sorted.length * batch;
  return { calls, seconds, perSecond: calls / seconds, p50: at(0.5), p99: at(0.99), cpuPerCall: cpuMicros / calls };
}

/** A port that was free a moment ago (Moleculer's TCP transporter wants fixed ports). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const rate = (m: Measurement) => `${Math.round(m.perSecond).toLocaleString('en-US')} calls/s`;
export const latency = (m: Measurement) => `p50 ${m.p50} µs, p99 ${m.p99} µs`;
export const cpu = (m: Measurement) => `${m.cpuPerCall.toFixed(1)} µs CPU/call`;
