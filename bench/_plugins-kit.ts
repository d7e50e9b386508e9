// Shared by bench/plugins.ts and its per-backend sections (bench/_plugins-<backend>.ts):
// an operation measured through our plugin and through the raw client doing the same work.
import type { BackendName } from '../src/plugins/backends.js';

/** One operation, done through the plugin (`ours`) and by hand with the raw client (`raw`). */
export interface Operation {
  /** e.g. `redis store.write`. */
  readonly name: string;
  /** What the raw side does, printed beside the figures so the comparison can be judged. */
  readonly raw: string;
  readonly runOurs: () => Promise<unknown>;
  readonly runRaw: () => Promise<unknown>;
}

/**
 * A backend's part of the benchmark. To add one (NATS, RabbitMQ, MQTT…): write
 * `bench/_plugins-<backend>.ts` exporting a Section and list it in bench/plugins.ts.
 */
export interface Section {
  readonly backend: BackendName;
  /** Connect to `url` and return the operations; `teardown` removes everything created. */
  setup(url: string): Promise<{ readonly operations: readonly Operation[]; teardown(): Promise<void> }>;
}

export interface Timing {
  /** Each side runs this long before anything is counted. */
  readonly warmupMs: number;
  /** Length of one measured slice; plugin and raw alternate slice by slice. */
  readonly sliceMs: number;
  /** Slices per side: both sides see the same (shared, noisy) machine. */
  readonly slices: number;
  /** Operations kept in flight at once (each worker awaits its own before the next). */
  readonly concurrency: number;
}

/** Run `once` on `concurrency` workers for `ms`; how many completed and how long it took. */
async function run(once: () => Promise<unknown>, ms: number, concurrency: number) {
  let count = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      await once();
      count++;
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return { count, seconds: (performance.now() - start) / 1000, cpuMicros: used.user + used.system };
}

export interface Side {
  /** Operations per second (wall clock). */
  readonly perSecond: number;
  /** This process's CPU time per operation, in µs: the client-side cost, less sensitive to load. */
  readonly cpuMicros: number;
}

/** The plugin and the raw client, measured in alternating slices. */
export async function compare(
  ours: () => Promise<unknown>,
  raw: () => Promise<unknown>,
  timing: Timing,
): Promise<{ readonly ours: Side; readonly raw: Side }> {
  await run(ours, timing.warmupMs, timing.concurrency);
  await run(raw, timing.warmupMs, timing.concurrency);
  const totals = { ours: { count: 0, seconds: 0, cpu: 0 }, raw: { count: 0, seconds: 0, cpu: 0 } };
  for (let slice = 0; slice < timing.slices; slice++) {
    for (const [side, once] of [
      ['ours', ours],
      ['raw', raw],
    ] as const) {
      const { count, seconds, cpuMicros } = await run(once, timing.sliceMs, timing.concurrency);
      totals[side].count += count;
      totals[side].seconds += seconds;
      totals[side].cpu += cpuMicros;
    }
  }
  const side = (t: typeof totals.ours): Side => ({ perSecond: t.count / t.seconds, cpuMicros: t.cpu / t.count });
  return { ours: side(totals.ours), raw: side(totals.raw) };
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const unique = (label: string) => `mcbench:${label}:${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Matches deliveries to the publishes awaiting them, by message id. A delivery may overtake
 * its publish's reply, so early arrivals are remembered.
 */
export function deliveries(): { delivered(id: string): void; arrival(id: string): Promise<void> } {
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  return {
    delivered(id) {
      const resolve = waiting.get(id);
      if (resolve === undefined) early.add(id);
      else {
        waiting.delete(id);
        resolve();
      }
    },
    arrival: (id) =>
      early.delete(id) ? Promise.resolve() : new Promise<void>((resolve) => void waiting.set(id, resolve)),
  };
}
