/**
 * Simulator errors. The kernel depends on nothing else of ours, so it carries its own small
 * error class rather than MicroError: one class with a literal `code`, an optional `cause`,
 * and a realm-safe guard ({@link isSimError}, by a `Symbol.for` brand).
 */

const brand = Symbol.for('microcosm.sim-error');

export type SimErrorCode =
  /** An option or argument is invalid; the message names it. */
  | 'BAD_INPUT'
  /** A node name that no `sim.node(...)` created. */
  | 'UNKNOWN_NODE'
  /** The simulation was disposed; nothing can run on it any more. */
  | 'DISPOSED'
  /** A run was started while another run on the same simulation had not finished. */
  | 'ALREADY_RUNNING'
  /** Too many events at one virtual instant: time can never advance. */
  | 'LIVELOCK'
  /** `runUntil`/`settle`/`exec` passed its virtual time limit. */
  | 'RUN_LIMIT'
  /** Nothing is left to run, yet the awaited condition never became true. */
  | 'DEADLOCK'
  /** A node's boot, handler or timer threw (the error is the `cause`). */
  | 'NODE_FAILED'
  /** `exec` targeted a node that is crashed. */
  | 'NODE_DOWN'
  /** Code inside a run reached for real I/O (a socket, fetch); see {@link DeterminismViolationError}. */
  | 'DETERMINISM_VIOLATION';

export class SimError extends Error {
  readonly [brand] = true;
  readonly code: SimErrorCode;
  readonly retryable = false;

  constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SimError';
    this.code = code;
  }
}

export function isSimError(value: unknown): value is SimError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

export const badInput = (message: string) => new SimError('BAD_INPUT', message);

/** Throw a BAD_INPUT error unless `value` is a finite number ≥ `min` (and ≤ `max` when given). */
export function checkNumber(where: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `a finite number >= ${min}` : `a number in ${min}..${max}`;
    throw badInput(`${where} must be ${range}, got ${String(value)}`);
  }
  return value;
}

/**
 * Something inside a simulation run escaped to the real world — a real socket or an HTTP
 * fetch — so the run could not replay. It is thrown where the escape happens and also fails the
 * run, even if the code that tried it catches the error. The one escape hatch is explicit:
 * `createSim({ seed, realIO: 'allow' })`.
 */
export class DeterminismViolationError extends SimError {
  /** What escaped, e.g. `a real socket connect to 127.0.0.1:6379`. */
  readonly what: string;

  constructor(what: string) {
    super(
      'DETERMINISM_VIOLATION',
      `${what} inside a simulation: real I/O does not replay. Use a fake (or, knowingly, createSim({ realIO: 'allow' })).`,
    );
    this.name = 'DeterminismViolationError';
    this.what = what;
  }
}
