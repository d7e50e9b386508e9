/**
 * Global virtualisation: while a simulation runs, service code's `setTimeout`, `setInterval`,
 * `setImmediate` (and their clears), `Date`, `performance.now`, `Math.random` and
 * `crypto.randomUUID` are driven by the simulation; {@link GlobalPatch.uninstall} puts the
 * real ones back. `Date` is @sinonjs/fake-timers' fake Date, reading the simulated clock;
 * the timers become kernel events. Real sockets (`net.Socket#connect`, so every client library)
 * and `fetch` throw a DeterminismViolationError and fail the run, unless the simulation was
 * created with `realIO: 'allow'`. This is the one module of the kernel allowed to touch the
 * real globals, and it captures them at load so the kernel keeps real timers.
 */
import net from 'node:net';
import FakeTimers from '@sinonjs/fake-timers';
import { DeterminismViolationError } from './errors.js';
import type { HttpRouter } from './http-routes.js';
import { randomUuid } from './random.js';
import type { RealWorkWatch } from './real-work.js';

/** The real setImmediate, captured before anything can virtualise it: the kernel's one hop. */
export const realSetImmediate: (fn: () => void) => unknown = globalThis.setImmediate.bind(globalThis);

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
  Date: globalThis.Date,
  mathRandom: Math.random,
  socketConnect: net.Socket.prototype.connect,
  fetch: globalThis.fetch,
};
const fakeTimers = FakeTimers.withGlobal(globalThis);

/** What the patched globals ask the simulation. */
export interface GlobalsHost {
  /** Virtual ms since the start (performance.now). */
  elapsed(): number;
  /** Epoch ms as the current node (or the world) sees it (Date). */
  wallClock(): number;
  /** A draw from the current node's (or the world's) Math.random stream. */
  random(): number;
  /** Schedule a timer owned by the current node (or the world); `ms` already clamped. */
  schedule(fn: () => void, ms: number, repeat: boolean): { cancel(): void };
  /** Real I/O was attempted (and refused): fail the run. Absent when real I/O is allowed. */
  readonly violation?: (error: DeterminismViolationError) => void;
  /** Hosts served by simulated nodes (`http-routes.ts`): `fetch` to them goes through the sim. */
  readonly http?: HttpRouter;
  /** Counts real async work while installed (`real-work.ts`); absent when real I/O is allowed. */
  readonly realWork?: RealWorkWatch;
}

/** Where a `net.Socket#connect` call was going, for the error message. */
function describeConnect(args: unknown[]): string {
  const [first, second] = args;
  if (Array.isArray(first)) return describeConnect(first); // net.connect passes its normalised [options, callback]
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: string; port?: number; path?: string };
    return o.path ?? `${o.host ?? 'localhost'}:${o.port}`;
  }
  return typeof second === 'string' ? `${second}:${String(first)}` : String(first);
}

/** The host (name[:port]) a fetch is for; '' when the input is no valid absolute URL. */
function hostOf(input: string | URL | Request): string {
  if (input instanceof URL) return input.host;
  const url = typeof input === 'string' ? input : input.url;
  return URL.canParse(url) ? new URL(url).host : '';
}

/** What `setTimeout` returns inside a simulation: Node's Timeout surface, virtual underneath. */
export class SimTimeout {
  static #nextId = 1;
  readonly id = SimTimeout.#nextId++;
  #ref = true;

  constructor(readonly handle: { cancel(): void }) {}

  ref(): this {
    this.#ref = true;
    return this;
  }
  unref(): this {
    this.#ref = false;
    return this;
  }
  hasRef(): boolean {
    return this.#ref;
  }
  /** Not supported virtually: a no-op that keeps the original due time. */
  refresh(): this {
    return this;
  }
  close(): this {
    this.handle.cancel();
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

type Callback = (...args: unknown[]) => void;

let installed: GlobalPatch | null = null;

/** One simulation's replacement globals; install/uninstall are cheap property swaps. */
export class GlobalPatch {
  readonly #host: GlobalsHost;
  readonly #Date: DateConstructor;
  readonly #byId = new Map<number, SimTimeout>();
  #ownPerformanceNow = false;
  #ownRandomUUID = false;

  constructor(host: GlobalsHost) {
    this.#host = host;
    const clock = fakeTimers.createClock(host.wallClock());
    // fake-timers' Date reads `clock.now`; make it read the simulated clock on every call.
    Object.defineProperty(clock, 'now', { get: () => host.wallClock(), set: () => {}, configurable: true });
    this.#Date = clock.Date as unknown as DateConstructor;
  }

  get active(): boolean {
    return installed === this;
  }

  /**
   * Make these the process's globals. Simulations running concurrently (interleaved with
   * `Promise.all`) take turns: each reinstalls its own at the start of every instant, when the
   * other's microtasks have all drained.
   */
  install(): void {
    if (installed === this) return;
    // Put the real globals back first, so what this patch records as "real" really is.
    installed?.uninstall();
    installed = this;
    const g = globalThis as Record<string, unknown>;
    g.setTimeout = this.#setTimer(false);
    g.setInterval = this.#setTimer(true);
    g.setImmediate = (fn: Callback, ...args: unknown[]) => this.#timer(fn, args, 0, false);
    g.clearTimeout = g.clearInterval = g.clearImmediate = (t: unknown) => this.#clear(t);
    g.Date = this.#Date;
    Math.random = () => this.#host.random();
    const perf = globalThis.performance as unknown as Record<string, unknown>;
    this.#ownPerformanceNow = Object.hasOwn(perf, 'now');
    perf.now = () => this.#host.elapsed();
    const crypto = globalThis.crypto as unknown as Record<string, unknown>;
    this.#ownRandomUUID = Object.hasOwn(crypto, 'randomUUID');
    crypto.randomUUID = () => randomUuid({ next: () => this.#host.random() });
    this.#host.realWork?.install();
    const violation = this.#host.violation;
    const refuse = (what: string) => {
      const error = new DeterminismViolationError(what);
      violation?.(error);
      throw error;
    };
    if (violation) {
      net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
        return refuse(`a real socket connect to ${describeConnect(args)}`);
      } as typeof net.Socket.prototype.connect;
    }
    const router = this.#host.http;
    if (typeof real.fetch === 'function' && (violation || router)) {
      g.fetch = (input: string | URL | Request, init?: RequestInit) => {
        const route = router?.(hostOf(input));
        if (route) return route(new Request(input, init));
        if (violation) return refuse(`a real fetch of ${String(input instanceof Request ? input.url : input)}`);
        return real.fetch(input, init);
      };
    }
  }

  uninstall(): void {
    if (installed !== this) return;
    installed = null;
    this.#host.realWork?.uninstall();
    const g = globalThis as Record<string, unknown>;
    g.setTimeout = real.setTimeout;
    g.clearTimeout = real.clearTimeout;
    g.setInterval = real.setInterval;
    g.clearInterval = real.clearInterval;
    g.setImmediate = real.setImmediate;
    g.clearImmediate = real.clearImmediate;
    g.Date = real.Date;
    Math.random = real.mathRandom;
    const perf = globalThis.performance as unknown as Record<string, unknown>;
    if (!this.#ownPerformanceNow) delete perf.now;
    const crypto = globalThis.crypto as unknown as Record<string, unknown>;
    if (!this.#ownRandomUUID) delete crypto.randomUUID;
    net.Socket.prototype.connect = real.socketConnect;
    if (typeof real.fetch === 'function') g.fetch = real.fetch;
  }

  #setTimer(repeat: boolean) {
    return (fn: Callback, ms?: number, ...args: unknown[]) => {
      // Node's rule: a delay below 1 ms (or not a number) is 1 ms.
      const delay = typeof ms === 'number' && ms >= 1 && ms <= 0x7fffffff ? ms : 1;
      return this.#timer(fn, args, delay, repeat);
    };
  }

  #timer(fn: Callback, args: unknown[], ms: number, repeat: boolean): SimTimeout {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const byId = this.#byId;
    const timeout: SimTimeout = new SimTimeout(
      this.#host.schedule(
        () => {
          if (!repeat) byId.delete(timeout.id);
          fn(...args);
        },
        ms,
        repeat,
      ),
    );
    byId.set(timeout.id, timeout);
    return timeout;
  }

  #clear(t: unknown): void {
    const timeout = t instanceof SimTimeout ? t : typeof t === 'number' ? this.#byId.get(t) : undefined;
    if (timeout === undefined) {
      // A real timer created before the simulation started: let the real clear handle it.
      if (typeof t === 'object' && t !== null && '_onImmediate' in t) real.clearImmediate(t as NodeJS.Immediate);
      else real.clearTimeout(t as Parameters<typeof clearTimeout>[0]);
      return;
    }
    timeout.handle.cancel();
    this.#byId.delete(timeout.id);
  }
}

/**
 * Restore the real globals if a simulation's patch is still installed — a run abandoned midway,
 * such as a test that timed out inside `runFor`. Returns whether one was. Test harnesses call it
 * between files so that one abandoned run cannot leak virtual timers or the real-I/O guard into
 * the next.
 */
export function restoreAbandonedGlobals(): boolean {
  if (installed === null) return false;
  installed.uninstall();
  return true;
}
