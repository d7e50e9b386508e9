/** The nemesis's two draws: exponential gaps and a uniform pick. */
import type { RandomStream } from '../sim/random.js';

/** An exponential gap with this mean (ms). */
export function gap(stream: RandomStream, mean: number): number {
  return -Math.log(1 - stream.next()) * mean;
}

export function pick<T>(stream: RandomStream, items: readonly T[]): T {
  return items[stream.int(0, items.length)] as T;
}
