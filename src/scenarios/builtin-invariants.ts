/**
 * Invariants every scenario may name, whatever the system: the shipped checks of
 * `src/assertions`, fed from the trace records the fakes write and from the clients' history
 * (see `assertions/adapters`). A system's own invariants (`no-oversell`) take precedence by name.
 *
 * | name | judges | fed from |
 * | --- | --- | --- |
 * | `at-most-one-leader-per-epoch` (alias `one-holder-per-token`) | one holder per (lock or election, fencing token) | `sync.grant`, `sync.elected` |
 * | `no-stale-fenced-writes` | a store never accepts a token below one it accepted for that key | `store.write` with a token |
 * | `no-lost-acknowledged-writes` | a final read still holds the latest acknowledged write | the history's put/get |
 * | `no-duplicate-effects` (`acks: true`: a group acking a message twice counts too) | no effect applied twice | `effect` records (+ `broker.ack`, `events.ack`) |
 * | `delivered-within` (`ms`, default 3000) | every message published delivered within `ms` | `*.publish`, `*.deliver` |
 * | `linearizable` (`model: register`, `timeout`) | the kv operations of the history are linearizable | the history |
 * | `success-rate` (`min`, `op`) | at least `min` of the operations succeeded | the history |
 * | `latency` (`p`, default 99; `max`, default 1s; `op`) | the p-th percentile of successful operations within `max` | the history |
 */
import { lostWriteEvents, registerOperations } from '../assertions/adapters/from-history.js';
import { effects, fencedWrites, leaderTerms, messageFlow, type TraceRecord } from '../assertions/adapters/from-trace.js';
import { checkOperations } from '../assertions/checker/check.js';
import { type Operation, toOperations } from '../assertions/history.js';
import { deliveredWithin, noDuplicateEffects } from '../assertions/invariants/delivery.js';
import { atMostOneLeaderPerEpoch, noStaleFencedWrites } from '../assertions/invariants/fencing.js';
import { noAcknowledgedWriteLost } from '../assertions/invariants/lost-writes.js';
import { percentile } from '../assertions/invariants/slo.js';
import type { StructuredEvent, TraceInvariant } from '../assertions/invariants/types.js';
import { register } from '../assertions/models/register.js';
import type { Invariant, InvariantFactory, Observation } from './invariant.js';
import { parseDuration } from './units.js';

type Options = Readonly<Record<string, unknown>>;

const number = (options: Options, key: string, fallback: number): number => {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`invariant option ${key}: expected a number, got ${JSON.stringify(value)}`);
  return value;
};

const ms = (options: Options, key: string, fallback: number): number => {
  const raw = options[key] ?? fallback;
  const value = typeof raw === 'string' || typeof raw === 'number' ? parseDuration(raw) : undefined;
  if (value === undefined)
    throw new Error(`invariant option ${key}: expected a duration like 2s or 500ms, got ${JSON.stringify(raw)}`);
  return value;
};

const opFilter = (options: Options): string | undefined => {
  const op = options.op;
  if (op !== undefined && typeof op !== 'string')
    throw new Error(`invariant option op: expected an operation name, got ${JSON.stringify(op)}`);
  return op;
};

/** The options each built-in takes, for validation before any seed runs. */
const OPTION_NAMES: Readonly<Record<string, readonly string[]>> = {
  'success-rate': ['min', 'op'],
  latency: ['p', 'max', 'op'],
  'delivered-within': ['ms'],
  'no-duplicate-effects': ['acks'],
  linearizable: ['model', 'timeout'],
};

function witness(events: readonly StructuredEvent[]) {
  return events.slice(0, 10).map((e) => {
    const { type, time, node, ...rest } = e as StructuredEvent & { node?: unknown };
    return {
      time,
      type,
      ...(typeof node === 'string' && node !== '' ? { node } : {}),
      detail: JSON.stringify(rest),
    };
  });
}

/** A shipped trace invariant over events adapted from the observation. */
function traced(
  name: string,
  judge: TraceInvariant,
  adapt: (observation: Observation) => readonly StructuredEvent[],
): Invariant {
  return {
    name,
    check(observation) {
      const verdict = judge.check(adapt(observation));
      if (verdict.type === 'ok') return [];
      const last = verdict.events.at(-1);
      const node = (last as { node?: unknown } | undefined)?.node;
      return [
        {
          message: verdict.message,
          at: last?.time ?? observation.startMs + observation.durationMs,
          ...(typeof node === 'string' && node !== '' ? { node } : {}),
          events: witness(verdict.events),
        },
      ];
    },
  };
}

const records = (observation: Observation) => observation.trace as readonly TraceRecord[];
const runEnd = (o: Observation): StructuredEvent => ({ type: 'run-ended', time: o.startMs + o.durationMs });

const successRate: InvariantFactory = (options): Invariant => {
  const min = number(options, 'min', 0.95);
  const op = opFilter(options);
  return {
    name: 'success-rate',
    check({ history, startMs, durationMs }) {
      const ops = toOperations(history).filter((o) => op === undefined || o.f === op);
      if (ops.length === 0) return [];
      const ok = ops.filter((o) => o.status === 'ok').length;
      const rate = ok / ops.length;
      if (rate >= min) return [];
      const failed = ops.filter((o) => o.status !== 'ok');
      return [
        {
          message: `${ok} of ${ops.length}${op ? ` ${op}` : ''} operations succeeded (${(rate * 100).toFixed(1)}%), below ${min * 100}%`,
          at: failed[0]?.start ?? startMs + durationMs,
          events: failed.slice(0, 5).map(operationWitness),
        },
      ];
    },
  };
};

/** `{ name: latency, p: 99, max: 2s }`: the p-th percentile (nearest rank) of successful operations. */
const latency: InvariantFactory = (options): Invariant => {
  const max = ms(options, 'max', 1000);
  const p = number(options, 'p', 99);
  if (!(p > 0 && p <= 100)) throw new Error(`invariant option p: expected a percentile in (0, 100], got ${p}`);
  const op = opFilter(options);
  return {
    name: 'latency',
    check({ history }) {
      const ok = toOperations(history).filter(
        (o) => o.status === 'ok' && o.start !== undefined && o.end !== undefined && (op === undefined || o.f === op),
      );
      const took = (o: Operation) => (o.end ?? 0) - (o.start ?? 0);
      const value = percentile(
        ok.map(took).sort((a, b) => a - b),
        p,
      );
      if (!(value > max)) return [];
      const slow = ok.filter((o) => took(o) > max);
      const first = slow[0];
      return [
        {
          message: `p${p} latency ${value}ms exceeds ${max}ms (${slow.length} of ${ok.length} successful operations slower; the first, ${first?.f} ${first?.key ?? ''}, took ${first ? took(first) : 0}ms)`,
          ...(first?.start === undefined ? {} : { at: first.start }),
          events: slow.slice(0, 5).map(operationWitness),
        },
      ];
    },
  };
};

/** `{ name: linearizable, model: register }`: the history's kv operations against a register per key. */
const linearizable: InvariantFactory = (options): Invariant => {
  const model = options.model ?? 'register';
  if (model !== 'register' && model !== 'kv')
    throw new Error(`invariant option model: expected register (or kv), got ${JSON.stringify(model)}`);
  const timeoutMs = ms(options, 'timeout', 10_000);
  return {
    name: 'linearizable',
    check({ history }) {
      const ops = registerOperations(history);
      if (ops.length === 0) return [];
      // A time limit yields `unknown`, never a guess: that is no finding.
      const result = checkOperations(ops, register, { timeoutMs });
      if (result.type !== 'not-linearizable') return [];
      return result.violations.map((v) => ({
        message: `key ${v.partition}: ${v.message.split('\n')[0]}`,
        ...(v.stuck?.start === undefined ? {} : { at: v.stuck.end ?? v.stuck.start }),
        events: [...v.prefix.slice(-4), ...(v.stuck ? [v.stuck] : [])].map(operationWitness),
      }));
    },
  };
};

function operationWitness(o: Operation) {
  return {
    time: o.start ?? 0,
    type: `${o.f} → ${o.status}`,
    detail: `${o.key ?? ''} ${JSON.stringify(o.input)} → ${JSON.stringify(o.output ?? o.error ?? null)}`.trim(),
  };
}

const leaders: InvariantFactory = () =>
  traced('at-most-one-leader-per-epoch', atMostOneLeaderPerEpoch(), (o) => leaderTerms(records(o)));

export const BUILTIN_INVARIANTS: Readonly<Record<string, InvariantFactory>> = {
  'at-most-one-leader-per-epoch': leaders,
  'one-holder-per-token': leaders,
  'no-stale-fenced-writes': () =>
    traced('no-stale-fenced-writes', noStaleFencedWrites(), (o) => fencedWrites(records(o))),
  'no-lost-acknowledged-writes': () =>
    traced('no-lost-acknowledged-writes', noAcknowledgedWriteLost(), (o) => lostWriteEvents(o.history)),
  'no-duplicate-effects': (options) => {
    const acks = options.acks ?? false;
    if (typeof acks !== 'boolean') throw new Error(`invariant option acks: expected true or false, got ${acks}`);
    return traced('no-duplicate-effects', noDuplicateEffects(), (o) => effects(records(o), { acks }));
  },
  'delivered-within': (options) => {
    const within = ms(options, 'ms', 3_000);
    return traced('delivered-within', deliveredWithin(within), (o) => [...messageFlow(records(o)), runEnd(o)]);
  },
  linearizable,
  'success-rate': successRate,
  latency,
};

/**
 * Check a reference to a built-in before any seed runs: unknown options and bad values throw an
 * Error naming them. Returns false when `name` is not a built-in.
 */
export function validateBuiltin(name: string, options: Options): boolean {
  const factory = BUILTIN_INVARIANTS[name];
  if (factory === undefined) return false;
  const allowed = OPTION_NAMES[name] ?? [];
  for (const key of Object.keys(options))
    if (!allowed.includes(key))
      throw new Error(
        `invariant ${name}: unknown option "${key}"${allowed.length ? ` (expected: ${allowed.join(', ')})` : ' (it takes none)'}`,
      );
  factory(options);
  return true;
}
