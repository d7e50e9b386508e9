/**
 * Remote: request/response over the simulated network, the one channel every infrastructure
 * fake uses between a client node and the node that hosts the fake.
 *
 * Contract.
 * - `serve(ctx, port, methods)` on the hosting node answers requests on `port`. A method may
 *   return a value or a promise; a thrown MicroError travels back typed, anything else thrown
 *   becomes INTERNAL (no stack crosses the wire).
 * - `connect(ctx, host, port)` on a client node gives `call(method, ...args)`, which sends one
 *   request message and waits for its reply. The reply (or the request) can be lost, delayed,
 *   duplicated or cut off by a partition like any other message; when no reply arrives within
 *   `timeoutMs` on the *client's* clock, the call rejects with a retryable TIMEOUT MicroError —
 *   the operation may or may not have taken effect, exactly as with a real backend.
 * - A duplicated reply is ignored; a late reply after the timeout is ignored.
 * - Arguments and results are copied at the boundary ({@link ownedCopy}: what `structuredClone`
 *   gives for plain data and byte arrays, at a fraction of its cost), as serialisation would, so
 *   neither side can mutate the other's memory by reference: arguments when sent and again as
 *   each delivery is served (a duplicated request must not see what the first one did to its
 *   arguments), a result once, when it is sent (a reply is handed to one waiter at most).
 * - `callWithin(timeoutMs, …)` is a call with a reply timeout of its own (a lock wait, say).
 *
 * The hot path allocates one small object per call, and one per request answered by a promise; a
 * method that answers synchronously is replied to at once, without a promise or a closure.
 */
import { MicroError, type MicroErrorData, timeout, toMicroError } from '../micro/errors.js';
import type { Runtime, TimerHandle } from '../micro/runtime.js';
import { ownedCopy } from '../sim/owned-copy.js';

/** The part of a sim NodeContext that remote needs (a structural subset of `NodeContext`). */
export interface RemotePort {
  readonly name: string;
  readonly runtime: Runtime;
  send(to: string, payload: unknown, options?: { port?: string; size?: number }): void;
  on(port: string, handler: (message: { from: string; payload: unknown }) => void): () => void;
}

export type RemoteMethod = (args: readonly unknown[], caller: { readonly from: string }) => unknown;

type Wire =
  | {
      readonly type: 'request';
      readonly id: number;
      readonly method: string;
      readonly args: readonly unknown[];
      readonly replyPort: string;
    }
  | { readonly type: 'ok'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: MicroErrorData };

export const DEFAULT_REMOTE_TIMEOUT_MS = 1_000;

export interface ConnectOptions {
  /** How long the client waits for a reply, on its own clock. Default: {@link DEFAULT_REMOTE_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Deep-copy arguments and results at the boundary. Default: true. */
  readonly clone?: boolean;
}

export interface RemoteClient {
  readonly host: string;
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  /** A call that waits `timeoutMs` for its reply instead of the connection's timeout. */
  callWithin<T = unknown>(timeoutMs: number, method: string, ...args: unknown[]): Promise<T>;
  /** Stop listening for replies; pending calls reject as UNAVAILABLE. */
  close(): void;
}

/** Answer requests on `port` of the hosting node. Returns a function that stops serving. */
export function serve(
  ctx: RemotePort,
  port: string,
  methods: Readonly<Record<string, RemoteMethod>>,
  clone = true,
): () => void {
  const copy = clone ? ownedCopy : same;
  return ctx.on(port, ({ from, payload }) => {
    const request = payload as Wire;
    if (request.type !== 'request') return;
    const method = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
    if (!method) {
      const unknown = new MicroError('BAD_REQUEST', `unknown method "${request.method}" on ${ctx.name}:${port}`);
      replyError(ctx, from, request.id, request.replyPort, unknown);
      return;
    }
    let result: unknown;
    try {
      // A duplicated request delivers the same payload twice: each delivery gets its own copy.
      result = method(copy(request.args), { from });
    } catch (thrown) {
      replyError(ctx, from, request.id, request.replyPort, thrown);
      return;
    }
    if (isThenable(result)) {
      const served = new Served(ctx, from, request.id, request.replyPort, copy);
      result.then(served.ok, served.fail);
    } else
      ctx.send(from, { type: 'ok', id: request.id, value: copy(result) } satisfies Wire, { port: request.replyPort });
  });
}

function replyError(ctx: RemotePort, to: string, id: number, replyPort: string, thrown: unknown): void {
  const error = toMicroError(thrown, ctx.name).toJSON();
  ctx.send(to, { type: 'error', id, error } satisfies Wire, { port: replyPort });
}

/** A request answered by a promise (its `ok` and `fail` are bound once, for `then`). */
class Served {
  constructor(
    readonly ctx: RemotePort,
    readonly from: string,
    readonly id: number,
    readonly replyPort: string,
    readonly copy: <T>(value: T) => T,
  ) {}

  readonly ok = (value: unknown): void => {
    const reply = { type: 'ok', id: this.id, value: this.copy(value) } satisfies Wire;
    this.ctx.send(this.from, reply, { port: this.replyPort });
  };

  readonly fail = (thrown: unknown): void => {
    replyError(this.ctx, this.from, this.id, this.replyPort, thrown);
  };
}

// Reply ports are numbered per node context (not globally), so names — and with them the
// trace — do not depend on what else ran earlier in the same process.
const clientCounts = new WeakMap<RemotePort, number>();
function nextClientNumber(ctx: RemotePort): number {
  const n = (clientCounts.get(ctx) ?? 0) + 1;
  clientCounts.set(ctx, n);
  return n;
}

/** A client for the methods served on `host`:`port`. */
export function connect(ctx: RemotePort, host: string, port: string, options: ConnectOptions = {}): RemoteClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
  checkTimeout('connect', timeoutMs);
  return new Client(ctx, host, port, timeoutMs, (options.clone ?? true) ? ownedCopy : same);
}

/** A call waiting for its reply: settled by the reply, the timeout or `close`, whichever is first. */
class Pending {
  timer: TimerHandle | undefined;
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

class Client implements RemoteClient {
  readonly host: string;
  readonly #ctx: RemotePort;
  readonly #port: string;
  readonly #timeoutMs: number;
  readonly #copy: <T>(value: T) => T;
  readonly #replyPort: string;
  readonly #sendOptions: { readonly port: string };
  readonly #pending = new Map<number, Pending>();
  readonly #unsubscribe: () => void;
  #nextId = 1;

  constructor(ctx: RemotePort, host: string, port: string, timeoutMs: number, copy: <T>(value: T) => T) {
    this.host = host;
    this.#ctx = ctx;
    this.#port = port;
    this.#timeoutMs = timeoutMs;
    this.#copy = copy;
    this.#replyPort = `${port}.reply.${host}.${nextClientNumber(ctx)}`;
    this.#sendOptions = Object.freeze({ port }); // read at once by send, so one object serves every call
    this.#unsubscribe = ctx.on(this.#replyPort, (message) => this.#receive(message.payload as Wire));
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.#call(this.#timeoutMs, method, args);
  }

  callWithin<T>(timeoutMs: number, method: string, ...args: unknown[]): Promise<T> {
    checkTimeout('callWithin', timeoutMs);
    return this.#call(timeoutMs, method, args);
  }

  close(): void {
    this.#unsubscribe();
    for (const [id, waiter] of this.#pending) {
      this.#pending.delete(id);
      waiter.timer?.cancel();
      waiter.reject(new MicroError('UNAVAILABLE', `connection to ${this.host}:${this.#port} closed`));
    }
  }

  #call<T>(timeoutMs: number, method: string, args: unknown[]): Promise<T> {
    const id = this.#nextId++;
    const ctx = this.#ctx;
    return new Promise<T>((resolve, reject) => {
      const waiter = new Pending(method, timeoutMs, resolve as (value: unknown) => void, reject);
      this.#pending.set(id, waiter);
      waiter.timer = ctx.runtime.timers.setTimeout(() => this.#expire(id), timeoutMs);
      ctx.send(
        this.host,
        { type: 'request', id, method, args: this.#copy(args), replyPort: this.#replyPort } satisfies Wire,
        this.#sendOptions,
      );
    });
  }

  #receive(reply: Wire): void {
    const waiter = this.#pending.get(reply.id);
    if (waiter === undefined || reply.type === 'request') return; // late, duplicated or stray
    this.#pending.delete(reply.id);
    waiter.timer?.cancel();
    // The reply's value was copied when it was sent and is handed out once (a duplicate finds no
    // waiter): it is already the caller's own.
    if (reply.type === 'ok') waiter.resolve(reply.value);
    else waiter.reject(MicroError.from(reply.error));
  }

  #expire(id: number): void {
    const waiter = this.#pending.get(id);
    if (waiter === undefined) return;
    this.#pending.delete(id);
    waiter.reject(
      timeout(`${waiter.method} on ${this.host} got no reply within ${waiter.timeoutMs} ms`, { id: this.#ctx.name }),
    );
  }
}

function checkTimeout(what: string, timeoutMs: number): void {
  if (!(timeoutMs > 0)) throw new RangeError(`${what}: timeoutMs must be > 0, got ${timeoutMs}`);
}

function same<T>(value: T): T {
  return value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
