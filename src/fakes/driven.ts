/**
 * Driving a simulation from test code that awaits fake clients as if they were real ones.
 *
 * `drive(sim).wrap(client)` returns the client with every method result wrapped: awaiting a
 * promise a method returned runs the simulation until that promise settles (time flows while
 * you wait, as it does against a real backend), and nothing runs while nobody awaits. Several
 * awaited calls at once (`Promise.all`) are driven together by one loop. `advance(ms)` lets
 * virtual time pass, queued behind any driving in progress. Consumer iteration (`next`,
 * `Symbol.asyncIterator`) and promise-valued properties (`lease.lost`) are left alone, so a
 * background consumer loop never makes time run away; tests let time pass with `advance`.
 */
import { isSimError, type Sim } from '../sim/index.js';

export interface Driven {
  wrap<T extends object>(value: T): T;
  advance(ms: number): Promise<void>;
}

export const DEFAULT_DRIVE_LIMIT_MS = 600_000;
export const DEFAULT_DRIVE_SLICE_MS = 50;
const UNDRIVEN = new Set<PropertyKey>(['next', Symbol.asyncIterator, 'then']);

/** A promise that asks to be driven the first time somebody awaits (or `then`s) it. */
class Demanded<T> extends Promise<T> {
  static override get [Symbol.species]() {
    return Promise;
  }
  onDemand: (() => void) | undefined;
  // biome-ignore lint/suspicious/noThenProperty: a promise subclass overriding then, on purpose.
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.onDemand?.();
    this.onDemand = undefined;
    return super.then(onfulfilled, onrejected);
  }
}

/** Plain objects, and class instances that mark themselves drivable (a lease, say). */
const isPlainObject = (value: unknown): value is object => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || DRIVABLE in value;
};
const DRIVABLE = Symbol.for('microcosm.drivable');

export function drive(sim: Sim, { limitMs = DEFAULT_DRIVE_LIMIT_MS, sliceMs = DEFAULT_DRIVE_SLICE_MS } = {}): Driven {
  const waiting = new Map<Promise<unknown>, number>(); // promise → virtual time first awaited
  const failers = new Map<Promise<unknown>, (error: unknown) => void>();
  let chain: Promise<void> = Promise.resolve();
  let pumping = false;

  const serially = (work: () => Promise<void>): Promise<void> => {
    const result = chain.then(work);
    chain = result.catch(() => {});
    return result;
  };

  /**
   * Drive in slices of `sliceMs` so that `advance` calls queued meanwhile get their turn: a
   * promise awaited in the background (a campaign that may take long) must not starve the
   * test's own steps. A promise still pending `limitMs` after it was first awaited fails.
   */
  const pump = () => {
    if (pumping) return;
    pumping = true;
    const slice = async () => {
      if (sim.disposed || waiting.size === 0) {
        pumping = false;
        return;
      }
      const deadline = sim.now + sliceMs;
      try {
        await sim.runUntil(() => waiting.size === 0 || sim.now >= deadline, { limitMs: sliceMs });
      } catch (error) {
        if (!(isSimError(error) && error.code === 'RUN_LIMIT')) {
          for (const fail of [...failers.values()]) fail(error);
          pumping = false;
          return;
        }
      }
      for (const [promise, since] of waiting)
        if (sim.now - since > limitMs)
          failers.get(promise)?.(new Error(`still pending after ${limitMs} ms of virtual time`));
      void serially(slice);
    };
    void serially(slice);
  };

  const demanded = <T>(inner: Promise<T>): Promise<T> => {
    let rejectOuter!: (error: unknown) => void;
    const outer = new Demanded<T>((resolve, reject) => {
      rejectOuter = reject;
      inner.then(resolve, reject);
    });
    let settled = false;
    const done = () => {
      settled = true;
      waiting.delete(inner);
      failers.delete(inner);
    };
    inner.then(done, done);
    outer.onDemand = () => {
      if (settled || waiting.has(inner)) return;
      waiting.set(inner, sim.now);
      failers.set(inner, (error) => {
        done();
        rejectOuter(error); // the simulation hit its limit with this still pending
      });
      pump();
    };
    return outer;
  };

  const wrapValue = (value: unknown): unknown => {
    if (value instanceof Promise) return demanded(value.then(wrapValue));
    if (isPlainObject(value)) return wrap(value);
    return value;
  };

  const proxies = new WeakMap<object, object>();
  function wrap<T extends object>(target: T): T {
    const known = proxies.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(object, property) {
        const value: unknown = Reflect.get(object, property);
        if (isPlainObject(value)) return wrap(value);
        if (typeof value !== 'function' || UNDRIVEN.has(property)) return value;
        return (...args: unknown[]) => wrapValue((value as (...a: unknown[]) => unknown).apply(object, args));
      },
    });
    proxies.set(target, proxy);
    return proxy;
  }

  return {
    wrap,
    advance: (ms) => serially(() => sim.runFor(ms)),
  };
}

/**
 * An object whose every method waits for `ready` and then calls the real one: for a client that
 * exists only once its node has booted inside the simulation. All its methods become async.
 */
export function lazy<T extends object>(ready: Promise<T>): T {
  return new Proxy({} as T, {
    get:
      (_, property) =>
      (...args: unknown[]) =>
        ready.then((target) => (Reflect.get(target, property) as (...a: unknown[]) => unknown).apply(target, args)),
  });
}

/** `base`, or `base-2`, `base-3` … whichever is not yet a node of `sim`. */
export function uniqueName(sim: Sim, base: string): string {
  const taken = new Set(sim.nodes.map((node) => node.name));
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
