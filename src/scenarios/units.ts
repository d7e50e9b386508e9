/** Durations and rates as people write them in scenario files: `10s`, `250ms`, `2m`, `20/s`. */

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `'10s'` → 10000; a number is taken as milliseconds. Undefined when the text is not a duration. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1));
}

const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h)\s*$/;

/** `'20/s'` → 20 per second; `'6/m'` → 0.1; a number is taken as per second. */
export function parseRate(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = RATE.exec(value);
  if (!match) return undefined;
  return (Number(match[1]) * 1000) / (UNIT_MS[match[2] ?? 's'] ?? 1000);
}
