/**
 * Invariants every scenario may name, whatever the system: objectives over the clients' history.
 * A system's own invariants (`no-oversell`) take precedence over these by name.
 */
import { toOperations } from '../assertions/history.js';
import type { Invariant, InvariantFactory } from './invariant.js';

const number = (options: Readonly<Record<string, unknown>>, key: string, fallback: number): number => {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`invariant option ${key}: expected a number, got ${JSON.stringify(value)}`);
  return value;
};

/** `{ name: success-rate, min: 0.95, op: checkout }`: at least `min` of the operations succeeded. */
const successRate: InvariantFactory = (options): Invariant => {
  const min = number(options, 'min', 0.95);
  const op = typeof options.op === 'string' ? options.op : undefined;
  return {
    name: 'success-rate',
    check({ history }) {
      const ops = toOperations(history).filter((o) => op === undefined || o.f === op);
      if (ops.length === 0) return [];
      const ok = ops.filter((o) => o.status === 'ok').length;
      const rate = ok / ops.length;
      return rate >= min
        ? []
        : [
            {
              message: `${ok} of ${ops.length}${op ? ` ${op}` : ''} operations succeeded (${(rate * 100).toFixed(1)}%), below ${min * 100}%`,
            },
          ];
    },
  };
};

/** `{ name: latency, max: 2s }` (ms): every successful operation completed within `max` virtual ms. */
const latency: InvariantFactory = (options): Invariant => {
  const max = number(options, 'max', 1000);
  return {
    name: 'latency',
    check({ history }) {
      const slow = toOperations(history).filter(
        (o) => o.status === 'ok' && o.start !== undefined && o.end !== undefined && o.end - o.start > max,
      );
      const first = slow[0];
      return first === undefined
        ? []
        : [
            {
              message: `${slow.length} operation(s) took longer than ${max}ms; the first, ${first.f} ${first.key ?? ''}, took ${(first.end ?? 0) - (first.start ?? 0)}ms`,
              ...(first.start === undefined ? {} : { at: first.start }),
            },
          ];
    },
  };
};

export const BUILTIN_INVARIANTS: Readonly<Record<string, InvariantFactory>> = {
  'success-rate': successRate,
  latency,
};
