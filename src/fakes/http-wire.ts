/**
 * Requests and responses as plain data, so they cross the simulated network as a message (and
 * are copied at the boundary like bytes on a wire would be), and back into fetch's classes.
 */

export interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly [string, string][];
  readonly body: Uint8Array | null;
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
  return new Request(wire.url, {
    method: wire.method,
    headers: wire.headers.map(([k, v]) => [k, v]),
    ...(hasBody ? { body: wire.body } : {}),
  });
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
  return new Response(body, { status: wire.status, statusText: wire.statusText, headers: wire.headers.map(([k, v]) => [k, v]) });
}
