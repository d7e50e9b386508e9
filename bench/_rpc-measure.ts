// Shared by bench/rpc.ts: run one sequential request/response loop for a bounded time.
import { createServer } from 'node:net';

export interface Measurement {
  readonly calls: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency percentiles in microseconds. */
  readonly p50: number;
  readonly p99: number;
}

export interface Phase {
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** Call `once` back to back: warm up, then count calls and record each one's latency. */
export async function measure(once: () => Promise<unknown>, phase: Phase): Promise<Measurement> {
  const warmEnd = performance.now() + phase.warmupMs;
  while (performance.now() < warmEnd) await once();
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + phase.measureMs;
  let now = start;
  while (now < end) {
    const before = now;
    await once();
    now = performance.now();
    latencies.push(now - before);
  }
  const seconds = (now - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 1000);
  return { calls: latencies.length, seconds, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

/** A port that was free a moment ago (Moleculer's TCP transporter wants fixed ports). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
