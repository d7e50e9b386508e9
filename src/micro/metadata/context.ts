/**
 * CallContext: what a handler knows about the call it serves, and what a nested call inherits.
 *
 * Contract. `deadline` is an absolute time in the serving runtime's clock (ms since epoch), or
 * undefined for none; `signal` aborts when the caller cancels, the deadline passes or the server
 * shuts the call down. Passing a handler's context as the `context` option of a client call makes
 * that call inherit the metadata, the (never later) deadline and the cancellation.
 */
import type { Runtime } from '../runtime.js';
import type { Metadata } from './types.js';

export interface CallContext {
  /** The service that serves this call (empty outside a handler). */
  readonly service: string;
  /** The endpoint, e.g. `Greeter.Hello` (empty outside a handler). */
  readonly endpoint: string;
  readonly metadata: Metadata;
  /** Absolute deadline in the runtime's clock, or undefined for none. */
  readonly deadline: number | undefined;
  readonly signal: AbortSignal;
  /** The runtime this context's deadline is measured in. */
  readonly runtime: Runtime;
}

/** Milliseconds left before the context's deadline (never negative), or undefined for none. */
export function remainingMs(context: CallContext): number | undefined {
  if (context.deadline === undefined) return undefined;
  return Math.max(0, context.deadline - context.runtime.clock.now());
}

/** The earlier of two optional deadlines. */
export function earliestDeadline(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
