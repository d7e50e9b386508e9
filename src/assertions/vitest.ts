/**
 * Vitest matchers. Import this module once (in a test file, or a vitest setup file) to
 * register them and their types:
 *
 * ```ts
 * import '../src/assertions/vitest.js';
 * expect(recorder.history).toBeLinearizable(register);
 * expect(run).toHold(atMostOneLeaderPerEpoch());
 * ```
 *
 * `toHold`, not `toSatisfy`: vitest already has `toSatisfy(predicate)`; extending it would
 * replace the built-in for every test in the process and clash with its declared type.
 * "The run holds the invariant" also reads the way people say it.
 */
import { expect } from 'vitest';
import { type CheckOptions, type CheckResult, checkHistory } from './checker/check.js';
import { describeOperation } from './checker/explain.js';
import type { History } from './history.js';
import type { StructuredEvent, TraceInvariant } from './invariants/types.js';
import type { Model } from './models/model.js';

/** Default time limit for `toBeLinearizable`: the search runs on the test's thread, so it must end. */
export const DEFAULT_MATCHER_TIMEOUT_MS = 10_000;

/**
 * What the matchers accept besides a bare history or event list: a run result (from a
 * scenario or a test) carrying its seed and replay command, so failures print them.
 */
export interface RunLike {
  readonly seed?: number | string;
  /** The one command that replays the run, e.g. `microcosm replay scenarios/x.ts --seed 42`. */
  readonly replay?: string;
  readonly history?: History;
  readonly events?: readonly StructuredEvent[];
  readonly trace?: readonly StructuredEvent[] | { readonly events: readonly StructuredEvent[] };
}

export interface MicrocosmMatchers<R = unknown> {
  /** The history (or a run's / recorder's `history`) is linearizable with respect to `model`. */
  toBeLinearizable<S>(model: Model<S>, options?: CheckOptions): R;
  /** The events (or a run's `events` / `trace`) hold `invariant`. */
  toHold(invariant: TraceInvariant): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own declaration exactly
  interface Matchers<T = any> extends MicrocosmMatchers<T> {}
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function historyOf(received: unknown): History | undefined {
  if (Array.isArray(received)) return received as History;
  if (isObject(received) && Array.isArray(received.history)) return received.history as History;
  return undefined;
}

function eventsOf(received: unknown): readonly StructuredEvent[] | undefined {
  if (Array.isArray(received)) return received as StructuredEvent[];
  if (!isObject(received)) return undefined;
  if (Array.isArray(received.events)) return received.events as StructuredEvent[];
  if (Array.isArray(received.trace)) return received.trace as StructuredEvent[];
  if (isObject(received.trace) && Array.isArray(received.trace.events))
    return received.trace.events as StructuredEvent[];
  return undefined;
}

/** The "seed 42 — replay with: …" lines, when the received value carries them. */
function provenance(received: unknown): string {
  if (!isObject(received)) return '';
  const lines: string[] = [];
  if (received.seed !== undefined) lines.push(`seed: ${String(received.seed)}`);
  if (typeof received.replay === 'string') lines.push(`replay: ${received.replay}`);
  return lines.length === 0 ? '' : `\n\n${lines.join('\n')}`;
}

function explain(result: CheckResult): string {
  switch (result.type) {
    case 'linearizable':
      return `all ${result.operations} operations in ${result.partitions.length} partition(s) linearize`;
    case 'unknown':
      return `the checker could not decide: ${result.reason} (raise timeoutMs, or check fewer operations)`;
    case 'not-linearizable': {
      const [first] = result.violations;
      if (!first) return 'not linearizable';
      const prefix = first.prefix.slice(-8).map((op) => `    ${describeOperation(op)}`);
      const skipped = first.prefix.length - prefix.length;
      return [
        first.message,
        `  longest linearizable prefix (${first.prefix.length} operations${skipped > 0 ? `, last ${prefix.length} shown` : ''}):`,
        ...prefix,
        `  state after it: ${first.state}`,
        first.stuck ? `  cannot place: ${describeOperation(first.stuck)}` : '  no operation can be placed next',
        ...(result.violations.length > 1 ? [`  (${result.violations.length - 1} more partition(s) violate too)`] : []),
      ].join('\n');
    }
    default: {
      const never: never = result;
      return String(never);
    }
  }
}

export const microcosmMatchers = {
  toBeLinearizable(this: { isNot: boolean }, received: unknown, model: Model<unknown>, options: CheckOptions = {}) {
    const history = historyOf(received);
    if (!history) {
      return {
        pass: false,
        message: () => 'toBeLinearizable: expected a history (an array of events) or an object with a `history` array',
      };
    }
    const result = checkHistory(history, model, { timeoutMs: DEFAULT_MATCHER_TIMEOUT_MS, ...options });
    const where = provenance(received);
    return {
      pass: result.type === 'linearizable',
      message: () =>
        this.isNot
          ? `expected the history not to be linearizable (model ${model.name}), but ${explain(result)}${where}`
          : `expected the history to be linearizable (model ${model.name}):\n${explain(result)}${where}`,
    };
  },

  toHold(this: { isNot: boolean }, received: unknown, invariant: TraceInvariant) {
    const events = eventsOf(received);
    if (!events) {
      return {
        pass: false,
        message: () => 'toHold: expected trace events (an array) or a run with `events` or `trace`',
      };
    }
    const verdict = invariant.check(events);
    const where = provenance(received);
    if (verdict.type === 'ok') {
      return { pass: true, message: () => `expected "${invariant.name}" to be violated, but it holds${where}` };
    }
    const shown = verdict.events.slice(0, 10).map((e) => `    ${JSON.stringify(e)}`);
    const more = verdict.events.length > shown.length ? [`    … ${verdict.events.length - shown.length} more`] : [];
    return {
      pass: false,
      message: () =>
        [
          `expected the run to hold "${verdict.invariant}":`,
          `  ${verdict.message}`,
          ...(shown.length ? ['  offending events:', ...shown, ...more] : []),
        ].join('\n') + where,
    };
  },
};

expect.extend(microcosmMatchers);
