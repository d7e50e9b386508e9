/** Latency distributions for links, validated eagerly and drawn from a link's stream. */
import { badInput, checkNumber } from './errors.js';
import type { Random } from './types.js';

export type LatencyDistribution =
  | { readonly type: 'constant'; readonly ms: number }
  | { readonly type: 'uniform'; readonly min: number; readonly max: number }
  /** Truncated at 0: a draw below zero is delivered at once. */
  | { readonly type: 'normal'; readonly mean: number; readonly stddev: number }
  /** Long tail: `scale` is the minimum, smaller `shape` means a heavier tail. */
  | { readonly type: 'pareto'; readonly scale: number; readonly shape: number };

/** One millisecond, constant: every message takes one instant at the default resolution. */
export const DEFAULT_LATENCY: LatencyDistribution = { type: 'constant', ms: 1 };

/** Throw a clear BAD_INPUT error naming the bad field unless `dist` is a valid distribution. */
export function validateLatency(where: string, dist: LatencyDistribution): LatencyDistribution {
  if (typeof dist !== 'object' || dist === null) throw badInput(`${where}: distribution must be an object`);
  switch (dist.type) {
    case 'constant':
      checkNumber(`${where}: latency ms`, dist.ms, 0);
      break;
    case 'uniform':
      checkNumber(`${where}: latency min`, dist.min, 0);
      checkNumber(`${where}: latency max`, dist.max, dist.min);
      break;
    case 'normal':
      checkNumber(`${where}: latency mean`, dist.mean, 0);
      checkNumber(`${where}: latency stddev`, dist.stddev, 0);
      break;
    case 'pareto':
      checkNumber(`${where}: latency scale`, dist.scale, 0);
      if (!(dist.shape > 0)) checkNumber(`${where}: latency shape`, dist.shape, Number.MIN_VALUE);
      break;
    default: {
      const never: never = dist;
      throw badInput(`${where}: unknown latency type ${JSON.stringify((never as { type: unknown }).type)}`);
    }
  }
  return dist;
}

/** Draw one latency in ms (never negative). Constant distributions draw nothing. */
export function drawLatency(dist: LatencyDistribution, random: Random): number {
  switch (dist.type) {
    case 'constant':
      return dist.ms;
    case 'uniform':
      return dist.min + random.next() * (dist.max - dist.min);
    case 'normal': {
      // Box–Muller; 1 - u keeps the log argument in (0, 1].
      const u = 1 - random.next();
      const v = random.next();
      return Math.max(0, dist.mean + dist.stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    }
    case 'pareto':
      return dist.scale / (1 - random.next()) ** (1 / dist.shape);
    default: {
      const never: never = dist;
      return never;
    }
  }
}
