/**
 * Invariants: judgements over what the system did, as a list of plain structured events.
 * Every event has a `type` tag and a virtual `time` (ms); each invariant reads the event
 * types it documents and ignores every other, so any trace is checked by mapping its records
 * to these shapes (the fakes and scenarios emit them directly).
 */

/** The least an event has: a tag and a virtual time in milliseconds. */
export interface StructuredEvent {
  readonly type: string;
  readonly time: number;
}

/** A structured verdict: `ok`, or `violated` with a message a person can act on and the events that break it. */
export type TraceVerdict =
  | { readonly type: 'ok' }
  | {
      readonly type: 'violated';
      readonly invariant: string;
      readonly message: string;
      /** The offending events, in trace order. */
      readonly events: readonly StructuredEvent[];
    };

/** A named check over a trace. `check` is pure: same events, same verdict. */
export interface TraceInvariant {
  readonly name: string;
  check(events: readonly StructuredEvent[]): TraceVerdict;
}

export const OK: TraceVerdict = { type: 'ok' };

/** The events of one `type`, narrowed to their shape. */
export function ofType<E extends StructuredEvent>(events: readonly StructuredEvent[], type: E['type']): E[] {
  return events.filter((e): e is E => e.type === type);
}

export function violated(invariant: string, message: string, events: readonly StructuredEvent[]): TraceVerdict {
  return { type: 'violated', invariant, message, events };
}

/** The end of the observed run: an explicit `run-ended` event, else the last event's time. */
export function endOf(events: readonly StructuredEvent[]): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.type === 'run-ended') return e.time;
    if (e.time > end) end = e.time;
  }
  return end;
}

/** Marks the end of a run, so "within a bound" checks know which windows closed. */
export interface RunEnded extends StructuredEvent {
  readonly type: 'run-ended';
}

/** Check a positive number option, naming it. */
export function requirePositive(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new TypeError(`${name}: expected a positive number, got ${String(value)}`);
  }
  return value;
}
