/**
 * Invariants: judgements over what the system did, as a list of plain structured events.
 * Every event has a `type` tag and a virtual `time` (ms); each invariant reads the event
 * types it documents and ignores every other, so any trace is checked by mapping its records
 * to these shapes (the fakes and scenarios emit them directly).
 */

/** The least an event has: a tag and a virtual time in milliseconds. */
export interface TraceEvent {
  readonly type: string;
  readonly time: number;
}

/** A structured verdict: `ok`, or `violated` with a message a person can act on and the events that break it. */
export type InvariantVerdict =
  | { readonly type: 'ok' }
  | {
      readonly type: 'violated';
      readonly invariant: string;
      readonly message: string;
      /** The offending events, in trace order. */
      readonly events: readonly TraceEvent[];
    };

/** A named check over a trace. `check` is pure: same events, same verdict. */
export interface Invariant {
  readonly name: string;
  check(events: readonly TraceEvent[]): InvariantVerdict;
}

export const OK: InvariantVerdict = { type: 'ok' };

/** The events of one `type`, narrowed to their shape. */
export function ofType<E extends TraceEvent>(events: readonly TraceEvent[], type: E['type']): E[] {
  return events.filter((e): e is E => e.type === type);
}

export function violated(invariant: string, message: string, events: readonly TraceEvent[]): InvariantVerdict {
  return { type: 'violated', invariant, message, events };
}

/** The end of the observed run: an explicit `run-ended` event, else the last event's time. */
export function endOf(events: readonly TraceEvent[]): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.type === 'run-ended') return e.time;
    if (e.time > end) end = e.time;
  }
  return end;
}

/** Marks the end of a run, so "within a bound" checks know which windows closed. */
export interface RunEnded extends TraceEvent {
  readonly type: 'run-ended';
}

/** Check a positive number option, naming it. */
export function requirePositive(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new TypeError(`${name}: expected a positive number, got ${String(value)}`);
  }
  return value;
}
