/**
 * Invariants as a scenario names them: `no-oversell`, `{ name: success-rate, min: 0.95 }`. The
 * runner checks each one after the run over what it observed — the clients' history, the trace,
 * and whatever the system's own invariants read from its state.
 */
import type { History } from '../assertions/history.js';
import type { TraceEvent } from '../sim/trace.js';
import type { Violation } from './result.js';

/** What the runner hands an invariant after the run. */
export interface Observation {
  readonly history: History;
  readonly trace: readonly TraceEvent[];
  /** Virtual time at which the scenario's clock started (after the system booted). */
  readonly startMs: number;
  /** Virtual ms the scenario ran from `startMs`. */
  readonly durationMs: number;
}

/** A violation before the runner stamps the invariant's name on it. */
export type Finding = Omit<Violation, 'invariant'>;

/**
 * Contract: `check` is a pure function of the observation (and, for a system's invariant, of the
 * system's state at the end of the run); it returns every violation it found, or none.
 */
export interface Invariant {
  readonly name: string;
  check(observation: Observation): readonly Finding[] | Promise<readonly Finding[]>;
}

/** Makes an invariant from the scenario's options for it (`{ name, ...options }`). */
export type InvariantFactory = (options: Readonly<Record<string, unknown>>) => Invariant;

/** An invariant reference in a scenario: its name and its options. */
export interface InvariantRef {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}
