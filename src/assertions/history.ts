/**
 * Histories: what clients saw. A history is an ordered list of events, Jepsen style: each
 * operation is an `invoke` followed (by the same process) by `ok`, `fail` or `unknown`.
 * `unknown` (Jepsen's `:info`) means the operation may or may not have taken effect — a
 * timeout or a crash — so it stays open to the end of the history.
 *
 * Order is the array order: an event later in the array happened later. `time` is for
 * display and latency (virtual milliseconds in a sim), not for ordering, so events that share
 * a virtual instant keep the order in which they were observed.
 */

/** A process (client) identity: Jepsen uses integers; recorders may use names. */
export type ProcessId = number | string;

export type EventType = 'invoke' | 'ok' | 'fail' | 'unknown';

/** One history event. The completion of an operation carries the same `process` and `f`. */
export interface HistoryEvent {
  readonly type: EventType;
  readonly process: ProcessId;
  /** The operation name: `read`, `write`, `cas`, `get`, `put`, `append`, … */
  readonly f: string;
  /** The key the operation touches, when it touches one (checked per key by keyed models). */
  readonly key?: string;
  /** On `invoke` the argument; on `ok` the result (a read's value); elsewhere as observed. */
  readonly value: unknown;
  /** When it happened (virtual milliseconds in a simulation). Absent in imported logs. */
  readonly time?: number;
  /** Why a `fail` or `unknown` happened (an error code or message), when known. */
  readonly error?: string;
}

export type History = readonly HistoryEvent[];

/** How an operation ended. */
export type OperationStatus = 'ok' | 'fail' | 'unknown';

/** An invoke paired with its completion: the unit the checker works on. */
export interface Operation {
  /** Position among the history's operations (0-based, in invoke order). */
  readonly id: number;
  readonly process: ProcessId;
  readonly f: string;
  readonly key?: string;
  /** The invoke's value: the argument. */
  readonly input: unknown;
  /** The completion's value: the result (undefined while unknown). */
  readonly output: unknown;
  readonly status: OperationStatus;
  /** Index of the invoke event in the history. */
  readonly call: number;
  /** Index of the completion event; `Infinity` when unknown (open to the end). */
  readonly ret: number;
  /** Virtual times, when the history carries them. */
  readonly start?: number;
  readonly end?: number;
  readonly error?: string;
}

/** A history that does not pair up: names the event and why. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly eventIndex: number,
  ) {
    super(message);
    this.name = 'HistoryError';
  }
}

/**
 * Pair invokes with completions, per process. A process may have one operation in flight;
 * an invoke still open at the end of the history is `unknown`. Throws {@link HistoryError}
 * naming the event when a completion has no invoke or a process invokes twice.
 */
export function toOperations(history: History): Operation[] {
  const open = new Map<ProcessId, { event: HistoryEvent; index: number; id: number }>();
  const ops: Operation[] = [];
  const slots: (Operation | undefined)[] = [];
  history.forEach((event, index) => {
    if (event.type === 'invoke') {
      const prior = open.get(event.process);
      if (prior) {
        throw new HistoryError(
          `event ${index}: process ${String(event.process)} invokes ${event.f} while its ${prior.event.f} (event ${prior.index}) is still open`,
          index,
        );
      }
      open.set(event.process, { event, index, id: slots.length });
      slots.push(undefined);
      return;
    }
    const invoke = open.get(event.process);
    if (!invoke) {
      throw new HistoryError(
        `event ${index}: process ${String(event.process)} completes ${event.f} (${event.type}) without an invoke`,
        index,
      );
    }
    if (invoke.event.f !== event.f) {
      throw new HistoryError(
        `event ${index}: process ${String(event.process)} completes ${event.f} but invoked ${invoke.event.f} (event ${invoke.index})`,
        index,
      );
    }
    open.delete(event.process);
    slots[invoke.id] = pair(invoke.id, invoke.event, invoke.index, event, index);
  });
  for (const { event, index, id } of open.values()) slots[id] = pair(id, event, index, undefined, Infinity);
  for (const op of slots) if (op) ops.push(op);
  return ops;
}

function pair(id: number, invoke: HistoryEvent, call: number, done: HistoryEvent | undefined, ret: number): Operation {
  const status: OperationStatus =
    done === undefined || done.type === 'unknown' ? 'unknown' : done.type === 'ok' ? 'ok' : 'fail';
  const op: {
    -readonly [K in keyof Operation]: Operation[K];
  } = {
    id,
    process: invoke.process,
    f: invoke.f,
    input: invoke.value,
    output: status === 'unknown' ? undefined : done?.value,
    status,
    call,
    ret: status === 'unknown' ? Infinity : ret,
  };
  if (invoke.key !== undefined) op.key = invoke.key;
  if (invoke.time !== undefined) op.start = invoke.time;
  if (done?.time !== undefined) op.end = done.time;
  const error = done?.error;
  if (error !== undefined) op.error = error;
  return op;
}
