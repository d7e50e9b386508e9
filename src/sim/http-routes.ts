/**
 * HTTP hosts served by simulated nodes. While a run is in progress the virtual `fetch`
 * (`globals.ts`) hands a request for a routed host to its route, with the node whose event ran
 * last as the sender; every other host stays refused (or real, with `realIO: 'allow'`).
 * `src/fakes/http.ts` routes a host to an msw-backed node this way.
 */
import { badInput } from './errors.js';
import type { NodeContext, Sim } from './types.js';

/** Answer `request`, sent from `from` (null: world-level code, outside any node). */
export type HttpRoute = (request: Request, from: NodeContext | null) => Promise<Response>;

/** What the virtual fetch asks: the route for a URL's host, bound to the current sender. */
export type HttpRouter = (host: string) => ((request: Request) => Promise<Response>) | undefined;

const routes = new WeakMap<object, Map<string, HttpRoute>>();

/** Route `host` (as in a URL: `payments-provider`, `api.example.com:8443`) of `sim`. Returns unroute. */
export function routeHttpHost(sim: Sim, host: string, route: HttpRoute): () => void {
  if (typeof host !== 'string' || !/^[a-z0-9.-]+(?::\d+)?$/i.test(host))
    throw badInput(`routeHttpHost: host must look like a URL host (name[:port]), got ${JSON.stringify(host)}`);
  let hosts = routes.get(sim);
  if (hosts === undefined) routes.set(sim, (hosts = new Map()));
  const key = host.toLowerCase();
  if (hosts.has(key)) throw badInput(`routeHttpHost: host "${host}" is already routed in this simulation`);
  hosts.set(key, route);
  return () => {
    if (hosts.get(key) === route) hosts.delete(key);
  };
}

/** The kernel's router for the virtual fetch: `current` names the sender at call time. */
export function httpRouter(sim: object, current: () => NodeContext | null): HttpRouter {
  return (host) => {
    const route = routes.get(sim)?.get(host.toLowerCase());
    return route && ((request) => route(request, current()));
  };
}
