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
 * - Arguments and results are deep-copied at the boundary (structuredClone), as serialisation
 *   would, so neither side can mutate the other's memory by reference.
 */
import { MicroError, type MicroErrorData, timeout, toMicroError } from '../micro/errors.js';
import type { Runtime } from '../micro/runtime.js';

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
  const copy = clone ? structuredClone : <T>(value: T) => value;
  return ctx.on(port, ({ from, payload }) => {
    const request = payload as Wire;
    if (request.type !== 'request') return;
    const reply = (message: Wire) => ctx.send(from, message, { port: request.replyPort });
    const method = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
    if (!method) {
      reply({
        type: 'error',
        id: request.id,
        error: new MicroError('BAD_REQUEST', `unknown method "${request.method}" on ${ctx.name}:${port}`).toJSON(),
      });
      return;
    }
    const fail = (thrown: unknown) =>
      reply({ type: 'error', id: request.id, error: toMicroError(thrown, ctx.name).toJSON() });
    try {
      Promise.resolve(method(copy(request.args), { from })).then(
        (value) => reply({ type: 'ok', id: request.id, value: copy(value) }),
        fail,
      );
    } catch (thrown) {
      fail(thrown);
    }
  });
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
  if (!(timeoutMs > 0)) throw new RangeError(`connect: timeoutMs must be > 0, got ${timeoutMs}`);
  const copy = (options.clone ?? true) ? structuredClone : <T>(value: T) => value;
  const replyPort = `${port}.reply.${host}.${nextClientNumber(ctx)}`;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextId = 1;

  const unsubscribe = ctx.on(replyPort, ({ payload }) => {
    const reply = payload as Wire;
    const waiter = pending.get(reply.id);
    if (!waiter || reply.type === 'request') return; // late, duplicated or stray
    pending.delete(reply.id);
    if (reply.type === 'ok') waiter.resolve(copy(reply.value));
    else waiter.reject(MicroError.from(reply.error));
  });

  return {
    host,
    call<T>(method: string, ...args: unknown[]): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = ctx.runtime.timers.setTimeout(() => {
          if (!pending.delete(id)) return;
          reject(timeout(`${method} on ${host} got no reply within ${timeoutMs} ms`, { id: ctx.name }));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            timer.cancel();
            resolve(value as T);
          },
          reject: (error) => {
            timer.cancel();
            reject(error);
          },
        });
        ctx.send(host, { type: 'request', id, method, args: copy(args), replyPort } satisfies Wire, { port });
      });
    },
    close() {
      unsubscribe();
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new MicroError('UNAVAILABLE', `connection to ${host}:${port} closed`));
      }
    },
  };
}
