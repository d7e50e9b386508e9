/**
 * An external HTTP API as a node of the simulated world, answered by msw request handlers.
 *
 * `await httpDependency(sim, 'payments-provider', handlers)` creates the node
 * `http:payments-provider` and routes the host `payments-provider` to it: inside a run, service
 * code's `fetch('http://payments-provider/…')` becomes a request message from the calling node
 * and a response message back, through the network model — latency, loss, partitions
 * (`partition [payments] from [http:payments-provider]`) and a crash of the provider all apply,
 * in virtual time. The same handlers mock the API outside a simulation with msw's `setupServer`.
 *
 * Contract.
 * - The handlers run on the provider node (their `delay()` and timers are that node's virtual
 *   timers); the first handler that answers wins, as in msw. A request no handler answers, a
 *   handler that throws, and `HttpResponse.error()` make the caller's fetch reject with
 *   `TypeError: fetch failed` (its `cause` says which).
 * - No response within `timeoutMs` on the caller's clock (request or response lost, provider
 *   partitioned or crashed) rejects with `TypeError: fetch failed`, cause code `ETIMEDOUT`; the
 *   provider may or may not have acted on it — exactly the ambiguity of a real timeout. An
 *   aborted `signal` rejects at once with its reason.
 * - The sender of a global `fetch` is the node whose event ran last: exact for a call made in a
 *   handler before its first await on another node's work. `dependency.fetch(ctx)` names the
 *   sender explicitly and is always exact; inject it where a service takes a `fetch`.
 * - Handler state (a closure, a Map) survives a crash of the node, like a provider's database.
 *
 * msw is loaded here lazily (`import('msw')`) before the run, so the sim entry does not need it.
 */
import type { DefaultBodyType, RequestHandler, StrictRequest } from 'msw';
import { loadPeer } from '../micro/peer.js';
import { routeHttpHost } from '../sim/http-routes.js';
import type { Sim } from '../sim/index.js';
import {
  plainWire,
  requestToWire,
  responseToWire,
  type WireRequest,
  type WireResponse,
  wireToRequest,
  wireToResponse,
} from './http-wire.js';
import { connect, type RemoteClient, type RemotePort, serve } from './remote.js';

export const HTTP_PORT = 'http';
/** How long a fetch waits for its response before failing as a timeout. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Node names of HTTP dependencies: `http:<host>`. */
export const HTTP_NODE_PREFIX = 'http:';

export interface HttpDependencyOptions {
  /** Response timeout on the caller's clock. Default: {@link DEFAULT_HTTP_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

export interface HttpDependency {
  /** The URL host the dependency answers, e.g. `payments-provider`. */
  readonly host: string;
  /** Its node's name, `http:<host>`: the target of faults. */
  readonly node: string;
  /** `http://<host>`, for building request URLs. */
  readonly url: string;
  /** A fetch that sends from `ctx`'s node (exact sender; works with `virtualiseGlobals: false` too). */
  fetch(ctx: RemotePort): typeof fetch;
}

type FetchFailure = 'timeout' | 'no-handler' | 'handler-threw' | 'network-error';

const failed = (reason: FetchFailure, detail: string) => {
  const cause = Object.assign(new Error(detail), { code: reason === 'timeout' ? 'ETIMEDOUT' : 'ECONNRESET', reason });
  return new TypeError('fetch failed', { cause });
};

/**
 * An msw request handler (`http.get(…)`, `http.post(…)`), typed by shape so that the sim entry's
 * declarations need no msw types: a user who never hosts an HTTP dependency needs no msw.
 */
export interface MswHandler {
  readonly info: object;
}

/** Host msw `handlers` on a new node `http:<host>` of `sim`, and route the host to it. */
export async function httpDependency(
  sim: Sim,
  host: string,
  handlers: readonly MswHandler[],
  options: HttpDependencyOptions = {},
): Promise<HttpDependency> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError(`httpDependency(${host}): timeoutMs must be > 0, got ${timeoutMs}`);
  if (!Array.isArray(handlers))
    throw new TypeError(`httpDependency(${host}): handlers must be an array of msw handlers`);
  const { getResponse, RequestHandler: Handlers } = await loadPeer('msw', 'http dependency', () => import('msw'));
  const node = `${HTTP_NODE_PREFIX}${host}`;
  const list = [...handlers] as RequestHandler[];

  sim.node(node, (ctx) => {
    serve(ctx, HTTP_PORT, {
      fetch: async ([wire]) => {
        const request = wireToRequest(wire as WireRequest);
        // msw clones each request once (a tee of its body stream) only to hand the clone to its
        // own logging, which getResponse never reads: this request is ours and nobody else's.
        Handlers.cache.set(request as StrictRequest<DefaultBodyType>, request as StrictRequest<DefaultBodyType>);
        let response: Response | undefined;
        try {
          response = await getResponse(list, request);
        } catch (thrown) {
          return { failure: 'handler-threw', detail: `${node}: a handler threw: ${String(thrown)}` };
        }
        if (response === undefined)
          return { failure: 'no-handler', detail: `${node}: no handler matches ${request.method} ${request.url}` };
        if (response.type === 'error') return { failure: 'network-error', detail: `${node}: HttpResponse.error()` };
        return { response: await responseToWire(response) };
      },
    });
  });

  const clients = new WeakMap<RemotePort, RemoteClient>();
  const send = async (ctx: RemotePort, wire: WireRequest, signal: AbortSignal | undefined): Promise<Response> => {
    let client = clients.get(ctx);
    if (client === undefined) clients.set(ctx, (client = connect(ctx, node, HTTP_PORT, { timeoutMs })));
    signal?.throwIfAborted();
    const reply = client.call<{ response: WireResponse } | { failure: FetchFailure; detail: string }>('fetch', wire);
    const lost = (error: unknown) => failed('timeout', `${wire.method} ${wire.url}: ${String(error)}`);
    const answer =
      signal === undefined
        ? await reply.catch((error: unknown) => Promise.reject(lost(error)))
        : await new Promise<Awaited<typeof reply>>((resolve, reject) => {
            const onAbort = () => reject(signal.reason);
            signal.addEventListener('abort', onAbort, { once: true });
            reply
              .then(resolve, (error: unknown) => reject(lost(error)))
              .finally(() => signal.removeEventListener('abort', onAbort));
          });
    if ('failure' in answer) throw failed(answer.failure, answer.detail);
    return wireToResponse(answer.response);
  };

  routeHttpHost(sim, host, (request, from) => {
    if (from === null)
      return Promise.reject(
        new TypeError(`fetch to ${host} from outside any node: call it from node code, or use dependency.fetch(ctx)`),
      );
    return requestToWire(request).then((wire) => send(from, wire, request.signal));
  });

  return {
    host,
    node,
    url: `http://${host}`,
    fetch: (ctx) => async (input, init) => {
      const plain = plainWire(input, init);
      if (plain !== undefined) return send(ctx, plain, init?.signal ?? undefined);
      const request = new Request(input, init);
      return send(ctx, await requestToWire(request), request.signal);
    },
  };
}
