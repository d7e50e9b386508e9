/**
 * Requests and responses as plain data, so they cross the simulated network as a message (and
 * are copied at the boundary like bytes on a wire would be), and back into fetch's classes.
 *
 * A request body given as a string stays a string on the wire (the Request built from it on the
 * provider encodes it as fetch would: UTF-8, `text/plain;charset=UTF-8` unless a content type is
 * set), which spares an encode and a byte copy per hop; other bodies travel as bytes.
 */

export interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly [string, string][];
  readonly body: string | Uint8Array | null;
}

export interface WireResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly [string, string][];
  readonly body: Uint8Array | null;
}

const bytes = async (body: Request | Response): Promise<Uint8Array | null> =>
  body.body === null ? null : new Uint8Array(await body.arrayBuffer());

export async function requestToWire(request: Request): Promise<WireRequest> {
  return { method: request.method, url: request.url, headers: [...request.headers], body: await bytes(request) };
}

export function wireToRequest(wire: WireRequest): Request {
  const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD';
  // The wire's header pairs are this side's own copy: Headers takes them as they are.
  const init: RequestInit = { method: wire.method, headers: wire.headers as [string, string][] };
  if (hasBody) init.body = wire.body;
  return new Request(wire.url, init);
}

export async function responseToWire(response: Response): Promise<WireResponse> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: await bytes(response),
  };
}

/** Statuses whose responses carry no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function wireToResponse(wire: WireResponse): Response {
  const body = NULL_BODY.has(wire.status) ? null : wire.body;
  return new Response(body, {
    status: wire.status,
    statusText: wire.statusText,
    headers: wire.headers as [string, string][],
  });
}

/** The methods fetch upper-cases whatever their case (any other it leaves as given, or refuses). */
const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * The wire form of `fetch(input, init)` built directly — the Request a fetch would construct,
 * without its stream machinery — when the input is a URL string and the body a string, bytes or
 * absent; undefined otherwise (the caller then goes through a Request).
 */
export function plainWire(input: string | URL | Request, init: RequestInit | undefined): WireRequest | undefined {
  if (input instanceof Request) return undefined;
  const body = init?.body ?? null;
  if (body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined;
  const method = String(init?.method ?? 'GET').toUpperCase();
  if (!STANDARD_METHODS.has(method)) return undefined; // PATCH keeps its case; Request validates the rest
  if (body !== null && (method === 'GET' || method === 'HEAD')) return undefined; // let Request refuse it
  const headers = new Headers(init?.headers);
  if (typeof body === 'string' && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
  return { method, url: new URL(input).href, headers: [...headers], body };
}
