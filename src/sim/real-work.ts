/**
 * Real asynchronous work left pending at an instant boundary: a WebCrypto promise
 * (`crypto.subtle`, settled from the thread pool), a thread-pool file operation (`fs.promises`,
 * callback fs), a DNS lookup. Its result would arrive in *real* time, at whatever virtual instant
 * the kernel happens to be in, so a run that lets virtual time move on past it cannot replay. The
 * kernel asks {@link RealWorkWatch.pending} when an instant has drained and time is about to
 * move; a non-null answer fails the run with a DeterminismViolationError naming the work.
 *
 * Cost: a counter read, then one `process.getActiveResourcesInfo()` (a fraction of a
 * microsecond with a short list) per instant — small beside the instant's macrotask hop.
 */

/** libuv request types that are real work on the thread pool or the resolver. */
const REAL_REQUESTS: Readonly<Record<string, string>> = {
  FSReqCallback: 'a file-system call (callback fs)',
  FSReqPromise: 'a file-system call (fs.promises)',
  GetAddrInfoReqWrap: 'a DNS lookup',
  GetNameInfoReqWrap: 'a DNS reverse lookup',
  QueryReqWrap: 'a DNS query',
};

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

const count = (types: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const type of types) if (type in REAL_REQUESTS) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
};

let installed: RealWorkWatch | null = null;

/** Watches one run's real async work; installed and uninstalled with the run's globals. */
export class RealWorkWatch {
  #subtle = 0;
  #subtleFirst = '';
  #baseline = new Map<string, number>();
  #installed = false;

  install(): void {
    if (this.#installed) return;
    installed?.uninstall();
    installed = this;
    this.#installed = true;
    // Requests already in flight when the run starts belong to the world outside it.
    this.#baseline = count(process.getActiveResourcesInfo());
    const subtle = globalThis.crypto?.subtle as unknown as Record<string, unknown> | undefined;
    if (subtle === undefined) return;
    for (const method of SUBTLE_METHODS) {
      const real = subtle[method];
      if (typeof real !== 'function') continue;
      Object.defineProperty(subtle, method, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => {
          const result = Promise.resolve(real.apply(subtle, args) as Promise<unknown>);
          if (this.#subtle++ === 0) this.#subtleFirst = `crypto.subtle.${method}`;
          const done = () => void this.#subtle--;
          result.then(done, done);
          return result;
        },
      });
    }
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
    const types = process.getActiveResourcesInfo();
    if (types.length === 0) return null;
    for (const [type, n] of count(types))
      if (n > (this.#baseline.get(type) ?? 0)) return `${REAL_REQUESTS[type]} (${type}) still running in real time`;
    return null;
  }
}
