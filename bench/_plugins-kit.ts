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
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Operations kept in flight at once (each worker awaits its own before the next). */
  readonly concurrency: number;
}

/** Operations per second of `once`, run by `concurrency` workers for `measureMs` after a warmup. */
export async function throughput(once: () => Promise<unknown>, timing: Timing): Promise<number> {
  const run = async (ms: number) => {
    let count = 0;
    const end = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < end) {
        await once();
        count++;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: timing.concurrency }, worker));
    return count / ((performance.now() - start) / 1000);
  };
  await run(timing.warmupMs);
  return run(timing.measureMs);
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const unique = (label: string) => `mcbench:${label}:${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
