/**
 * Real asynchronous work left pending at an instant boundary: a WebCrypto promise
 * (`crypto.subtle`, settled from the thread pool), a thread-pool file operation (`fs.promises`,
 * callback fs), a DNS lookup. Its result would arrive in *real* time, at whatever virtual instant
 * the kernel happens to be in, so a run that lets virtual time move on past it cannot replay. The
 * kernel asks {@link RealWorkWatch.pending} when an instant has drained and time is about to
 * move; a non-null answer fails the run with a DeterminismViolationError naming the work.
 *
 * Cost: a counter read, then one list of libuv's active requests (~50 ns when empty; see
 * {@link activeRequests}) and a scan of it, allocating nothing unless a real request is listed,
 * per instant — small beside the instant's macrotask hop. `install` runs with the run's
 * globals (each `settle`/`runFor`): the WebCrypto wrappers are made once per watch, so it only
 * swaps properties.
 */

/** libuv request types that are real work on the thread pool or the resolver. */
const REAL_REQUESTS: ReadonlyMap<string, string> = new Map([
  ['FSReqCallback', 'a file-system call (callback fs)'],
  ['FSReqPromise', 'a file-system call (fs.promises)'],
  ['GetAddrInfoReqWrap', 'a DNS lookup'],
  ['GetNameInfoReqWrap', 'a DNS reverse lookup'],
  ['QueryReqWrap', 'a DNS query'],
]);

const SUBTLE_METHODS = [
  'decrypt',
  'deriveBits',
  'deriveKey',
  'digest',
  'encrypt',
  'exportKey',
  'generateKey',
  'importKey',
  'sign',
  'unwrapKey',
  'verify',
  'wrapKey',
] as const;

type ProcessWithRequests = NodeJS.Process & { _getActiveRequests?: () => object[] };
const listRequests = (process as ProcessWithRequests)._getActiveRequests;

/**
 * The libuv requests in flight, by type. `process._getActiveRequests()` lists only requests (no
 * handles, no timers), about 3× cheaper than `getActiveResourcesInfo()` on this per-instant path;
 * it is undocumented, so without it the public list is read (its extra entries are not requests
 * and are never counted).
 */
const activeTypes: () => readonly (string | object)[] =
  typeof listRequests === 'function' ? () => listRequests.call(process) : () => process.getActiveResourcesInfo();

const typeOf = (entry: string | object): string => (typeof entry === 'string' ? entry : entry.constructor.name);

const NONE: ReadonlyMap<string, number> = new Map();

/** How many real requests of each type are in flight (the shared empty map when none). */
const countReal = (): ReadonlyMap<string, number> => {
  let counts: Map<string, number> | undefined;
  for (const entry of activeTypes()) {
    const type = typeOf(entry);
    if (!REAL_REQUESTS.has(type)) continue;
    counts ??= new Map();
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts ?? NONE;
};

let installed: RealWorkWatch | null = null;

/** Watches one run's real async work; installed and uninstalled with the run's globals. */
export class RealWorkWatch {
  #subtle = 0;
  #subtleFirst = '';
  #baseline: ReadonlyMap<string, number> = NONE;
  #installed = false;
  /** The WebCrypto wrappers, made on the first install (method name, wrapper). */
  #wrappers: [string, unknown][] | undefined;

  install(): void {
    if (this.#installed) return;
    installed?.uninstall();
    installed = this;
    this.#installed = true;
    // Requests already in flight when the run starts belong to the world outside it.
    this.#baseline = countReal();
    const subtle = globalThis.crypto?.subtle as unknown as Record<string, unknown> | undefined;
    if (subtle === undefined) return;
    this.#wrappers ??= this.#wrap(subtle);
    for (const [method, value] of this.#wrappers)
      Object.defineProperty(subtle, method, { configurable: true, writable: true, value });
  }

  /** A counting wrapper for each WebCrypto method `subtle` has. */
  #wrap(subtle: Record<string, unknown>): [string, unknown][] {
    const done = () => void this.#subtle--;
    const wrappers: [string, unknown][] = [];
    for (const method of SUBTLE_METHODS) {
      const real = subtle[method];
      if (typeof real !== 'function') continue;
      const wrapper = (...args: unknown[]) => {
        const result = Promise.resolve(real.apply(subtle, args) as Promise<unknown>);
        if (this.#subtle++ === 0) this.#subtleFirst = `crypto.subtle.${method}`;
        result.then(done, done);
        return result;
      };
      wrappers.push([method, wrapper]);
    }
    return wrappers;
  }

  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    installed = null;
    const subtle = globalThis.crypto?.subtle as unknown as Record<string, unknown> | undefined;
    if (subtle !== undefined) for (const method of SUBTLE_METHODS) delete subtle[method];
  }

  /** What real work is still pending now (for the error message), or null. */
  pending(): string | null {
    if (this.#subtle > 0) return `${this.#subtleFirst} (WebCrypto settles from the thread pool in real time)`;
    const counts = countReal();
    if (counts === NONE) return null; // the common case: no iterator made
    for (const [type, n] of counts)
      if (n > (this.#baseline.get(type) ?? 0)) return `${REAL_REQUESTS.get(type)} (${type}) still running in real time`;
    return null;
  }
}
