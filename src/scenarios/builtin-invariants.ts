/**
 * Invariants every scenario may name, whatever the system: objectives over the clients' history.
 * A system's own invariants (`no-oversell`) take precedence over these by name.
 */
import { toOperations } from '../assertions/history.js';
import { atMostOneLeaderPerEpoch } from '../assertions/invariants/fencing.js';
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

/**
 * `one-holder-per-token`: the lock service never hands one fencing token of a lock to two
 * holders. Reads the lock service's `sync.grant` trace records (see the sync fake) as
 * leader-elected events and judges them with the assertions' `atMostOneLeaderPerEpoch`.
 */
const oneHolderPerToken: InvariantFactory = (): Invariant => {
  const judge = atMostOneLeaderPerEpoch();
  return {
    name: 'one-holder-per-token',
    check({ trace }) {
      const grants = trace
        .filter((e) => e.type === 'sync.grant')
        .map((e) => {
          const grant = e as typeof e & { holder?: unknown; token?: unknown; name?: unknown };
          return {
            type: 'leader-elected',
            time: e.time,
            node: String(grant.holder),
            epoch: Number(grant.token),
            resource: String(grant.name),
          };
        });
      const verdict = judge.check(grants);
      if (verdict.type === 'ok') return [];
      const last = verdict.events.at(-1);
      return [{ message: verdict.message, ...(last === undefined ? {} : { at: last.time }) }];
    },
  };
};

export const BUILTIN_INVARIANTS: Readonly<Record<string, InvariantFactory>> = {
  'success-rate': successRate,
  latency,
  'one-holder-per-token': oneHolderPerToken,
};
