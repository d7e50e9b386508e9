/**
 * The server's {@link CallContext}: its `signal` is created on first read (an AbortController per
 * call is measurable on a hot path, and most handlers never look), yet it is already aborted, with
 * the right reason, if the call was cancelled before anyone asked.
 */
import type { Runtime } from '../runtime.js';
import type { CallContext } from './context.js';
import type { Metadata } from './types.js';

/** Told once when a watched call is aborted (an object, so a watcher need not allocate a closure). */
export interface AbortWatcher {
  onAbort(reason: unknown): void;
}

/** Cancellation that can be watched without an AbortSignal (a nested call's parent context). */
export interface Watchable {
  readonly aborted: boolean;
  readonly reason: unknown;
  watch(watcher: AbortWatcher): void;
  unwatch(watcher: AbortWatcher): void;
}

/** Whether `context` offers cheap watching (then reading its `signal` can be avoided). */
export function isWatchable(context: unknown): context is LazyCallContext {
  return context instanceof LazyCallContext;
}

export class LazyCallContext implements CallContext, Watchable {
  readonly service: string;
  readonly endpoint: string;
  readonly metadata: Metadata;
  readonly deadline: number | undefined;
  readonly runtime: Runtime;
  #controller: AbortController | undefined;
  #reason: { readonly value: unknown } | undefined;
  #watchers: AbortWatcher[] | undefined;

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
      this.firstSignal();
    }
    return this.#controller.signal;
  }

  /** Runs once, when somebody first reads `signal` (a subclass's hook; default: `onFirstSignal`). */
  protected firstSignal(): void {
    this.#onFirstSignal?.();
  }

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  get reason(): unknown {
    return this.#reason?.value;
  }

  /** Hear of the abort without creating the signal (and without arming the server's deadline timer). */
  watch(watcher: AbortWatcher): void {
    (this.#watchers ??= []).push(watcher);
  }

  unwatch(watcher: AbortWatcher): void {
    const watchers = this.#watchers;
    if (watchers === undefined) return;
    const at = watchers.lastIndexOf(watcher);
    if (at !== -1) watchers.splice(at, 1);
  }

  /** Abort the call's signal (once; later reasons are ignored). */
  abort(reason: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = { value: reason };
    this.#controller?.abort(reason);
    const watchers = this.#watchers;
    this.#watchers = undefined;
    if (watchers !== undefined) for (const watcher of watchers) watcher.onAbort(reason);
  }
}
