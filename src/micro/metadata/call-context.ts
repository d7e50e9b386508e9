/**
 * The server's {@link CallContext}: its `signal` is created on first read (an AbortController per
 * call is measurable on a hot path, and most handlers never look), yet it is already aborted, with
 * the right reason, if the call was cancelled before anyone asked.
 */
import type { Runtime } from '../runtime.js';
import type { CallContext } from './context.js';
import type { Metadata } from './types.js';

export class LazyCallContext implements CallContext {
  readonly service: string;
  readonly endpoint: string;
  readonly metadata: Metadata;
  readonly deadline: number | undefined;
  readonly runtime: Runtime;
  #controller: AbortController | undefined;
  #reason: { readonly value: unknown } | undefined;

  readonly #onFirstSignal: (() => void) | undefined;

  /** `onFirstSignal` runs once, when somebody first reads `signal`. */
  constructor(fields: Omit<CallContext, 'signal'>, onFirstSignal?: () => void) {
    this.#onFirstSignal = onFirstSignal;
    this.service = fields.service;
    this.endpoint = fields.endpoint;
    this.metadata = fields.metadata;
    this.deadline = fields.deadline;
    this.runtime = fields.runtime;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason.value);
      this.#onFirstSignal?.();
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Abort the call's signal (once; later reasons are ignored). */
  abort(reason: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = { value: reason };
    this.#controller?.abort(reason);
  }
}
