/**
 * The history recorder: wraps any async client operation and appends `invoke`, then `ok`,
 * `fail` or `unknown`, with times from an injected clock (virtual time in a simulation; never
 * the wall clock). Works the same from a scenario workload and from a plain vitest test.
 */
import type { EventType, History, HistoryEvent, ProcessId } from './history.js';

/** Anything with `now()`: a sim's virtual clock, a Runtime's clock, a test's counter. */
export interface ClockLike {
  now(): number;
}

/** What an operation is, as the invoke event records it. */
export interface OperationSpec {
  readonly process: ProcessId;
  readonly f: string;
  readonly key?: string;
  /** The argument (a write's value, a cas's `[from, to]`); `null` for reads. Default: null. */
  readonly value?: unknown;
}

/** How a thrown error ends an operation: it did not happen (`fail`) or may have (`unknown`). */
export type ErrorVerdict = 'fail' | 'unknown';

export interface RecordOptions<T> {
  /** The value recorded on `ok`. Default: the result, or the invoke's value when the result is undefined. */
  readonly output?: (result: T) => unknown;
  /** Classify a thrown error. Default: {@link classifyError}. */
  readonly classify?: (error: unknown) => ErrorVerdict;
}

export interface HistoryRecorder {
  /** The events so far, in the order they were observed. */
  readonly history: History;
  /**
   * Run `operation`, recording its invoke and completion. Returns its result and rethrows its
   * error unchanged, so the workload behaves exactly as it would unrecorded.
   */
  record<T>(spec: OperationSpec, operation: () => Promise<T>, options?: RecordOptions<T>): Promise<T>;
}

const MICRO_ERROR = Symbol.for('microcosm.error');
const UNKNOWN_CODES: ReadonlySet<string> = new Set(['TIMEOUT', 'UNAVAILABLE']);

/**
 * The default classification: a MicroError with code TIMEOUT or UNAVAILABLE, and an
 * AbortError, may have taken effect (`unknown`); anything else did not (`fail`). MicroErrors
 * are recognised by their `Symbol.for` brand, so this works across realms and copies.
 */
export function classifyError(error: unknown): ErrorVerdict {
  if (typeof error !== 'object' || error === null) return 'fail';
  const e = error as { [MICRO_ERROR]?: unknown; code?: unknown; name?: unknown };
  if (e[MICRO_ERROR] === true && typeof e.code === 'string' && UNKNOWN_CODES.has(e.code)) return 'unknown';
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'unknown';
  return 'fail';
}

function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof e.code === 'string') return e.code;
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.message === 'string') return e.message;
  }
  return String(error);
}

/** A recorder whose times come from `clock`. */
export function createRecorder(options: { readonly clock: ClockLike }): HistoryRecorder {
  const { clock } = options;
  const events: HistoryEvent[] = [];
  const push = (type: EventType, spec: OperationSpec, value: unknown, error?: string) => {
    const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = {
      type,
      process: spec.process,
      f: spec.f,
      value,
      time: clock.now(),
    };
    if (spec.key !== undefined) event.key = spec.key;
    if (error !== undefined) event.error = error;
    events.push(event);
  };
  return {
    history: events,
    async record<T>(spec: OperationSpec, operation: () => Promise<T>, opts: RecordOptions<T> = {}): Promise<T> {
      const input = spec.value ?? null;
      push('invoke', spec, input);
      let result: T;
      try {
        result = await operation();
      } catch (error) {
        const verdict = (opts.classify ?? classifyError)(error);
        push(verdict, spec, verdict === 'fail' ? input : null, describeError(error));
        throw error;
      }
      push('ok', spec, opts.output ? opts.output(result) : result === undefined ? input : result);
      return result;
    },
  };
}
