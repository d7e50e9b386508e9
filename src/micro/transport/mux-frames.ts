/**
 * The multiplexer's wire vocabulary: every frame's header carries `t` (its kind) and `id` (its
 * stream). A call opens a stream with `open` (which may carry the first message and even the end,
 * even for a server stream), then `msg` frames flow, `end` half-closes a direction, `credit` grants
 * the sender more messages, `err` fails the stream with a MicroErrorData body and `cancel` abandons
 * it. A unary call is a `call` frame (the request, no window: exactly one reply is allowed) answered
 * by one `msg`+`end` or an `err`; `cancel` abandons it. Metadata rides as `md.<key>` headers.
 */
import { badRequest, MicroError } from '../errors.js';
import { EMPTY_METADATA, type Metadata } from '../metadata/types.js';
import type { Carried, Frame, Header } from './types.js';

export const FRAME_KINDS = ['open', 'call', 'msg', 'end', 'credit', 'err', 'cancel'] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];

/** How the caller sends its input: one message (unary, server streaming) or many. */
export type InputShape = 'one' | 'many';

/** What the opener of a stream tells the other side. */
export interface OpenRequest {
  readonly service: string;
  readonly endpoint: string;
  readonly contentType: string;
  readonly input: InputShape;
  readonly metadata: Metadata;
  /** Time the caller still allows, in ms, measured when the frame is sent. */
  readonly timeoutMs?: number;
}

const EMPTY = new Uint8Array(0);
const METADATA_PREFIX = 'md.';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function openFrame(id: string, request: OpenRequest, window: number, first?: Uint8Array, end = false): Frame {
  const header: Record<string, string> = {
    t: 'open',
    id,
    svc: request.service,
    ep: request.endpoint,
    ct: request.contentType,
    in: request.input,
    win: String(window),
  };
  if (request.timeoutMs !== undefined) header.to = String(Math.max(0, Math.floor(request.timeoutMs)));
  if (first !== undefined) header.msg = '1';
  if (end) header.end = '1';
  const metadata = request.metadata;
  for (const key in metadata) header[METADATA_PREFIX + key] = metadata[key] as string;
  return { header, body: first ?? EMPTY };
}

/** A unary request: what `open` + first message + end says, without the stream's window. */
export function callFrame(id: string, request: OpenRequest, body: Uint8Array, carried?: Carried): Frame {
  const header: Record<string, string> = {
    t: 'call',
    id,
    svc: request.service,
    ep: request.endpoint,
    ct: request.contentType,
  };
  if (request.timeoutMs !== undefined) header.to = String(Math.max(0, Math.floor(request.timeoutMs)));
  const metadata = request.metadata;
  for (const key in metadata) header[METADATA_PREFIX + key] = metadata[key] as string;
  return carried === undefined ? { header, body } : { header, body, carried };
}

export const msgFrame = (id: string, body: Uint8Array, end: boolean): Frame => ({
  header: end ? { t: 'msg', id, end: '1' } : { t: 'msg', id },
  body,
});

/** A unary reply: one message and the end. */
export const replyFrame = (id: string, body: Uint8Array, carried: Carried | undefined): Frame =>
  carried === undefined
    ? { header: { t: 'msg', id, end: '1' }, body }
    : { header: { t: 'msg', id, end: '1' }, body, carried };
export const endFrame = (id: string): Frame => ({ header: { t: 'end', id }, body: EMPTY });
export const creditFrame = (id: string, n: number): Frame => ({
  header: { t: 'credit', id, n: String(n) },
  body: EMPTY,
});
export const cancelFrame = (id: string): Frame => ({ header: { t: 'cancel', id }, body: EMPTY });
export const errFrame = (id: string, error: MicroError): Frame => ({
  header: { t: 'err', id },
  body: encoder.encode(JSON.stringify(error.toJSON())),
});

const KINDS: ReadonlySet<string> = new Set(FRAME_KINDS);

export function frameKind(header: Header): FrameKind | undefined {
  const t = header.t;
  return t !== undefined && KINDS.has(t) ? (t as FrameKind) : undefined;
}

/** Read an `open` header back; throws BAD_REQUEST naming the bad field. */
export function parseOpen(header: Header): { request: OpenRequest; window: number } {
  const input = field(header, 'in', 'open');
  if (input !== 'one' && input !== 'many') throw badRequest(`open frame has a bad 'in' header: '${input}'`);
  const window = Number(field(header, 'win', 'open'));
  if (!Number.isInteger(window) || window < 1) throw badRequest(`open frame has a bad 'win' header: '${header.win}'`);
  return { request: readRequest(header, input, 'open'), window };
}

/** Read a `call` header back (a unary request); throws BAD_REQUEST naming the bad field. */
export function parseCall(header: Header): OpenRequest {
  return readRequest(header, 'one', 'call');
}

function readRequest(header: Header, input: InputShape, kind: 'open' | 'call'): OpenRequest {
  let metadata: Record<string, string> | undefined;
  for (const key in header) {
    if (key.startsWith(METADATA_PREFIX)) (metadata ??= {})[key.slice(METADATA_PREFIX.length)] = header[key] as string;
  }
  const service = header.svc ?? '';
  const endpoint = field(header, 'ep', kind);
  const contentType = field(header, 'ct', kind);
  const md = metadata ?? EMPTY_METADATA;
  if (header.to === undefined) return { service, endpoint, contentType, input, metadata: md };
  const timeoutMs = Number(header.to);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
    throw badRequest(`${kind} frame has a bad 'to' header: '${header.to}'`);
  return { service, endpoint, contentType, input, metadata: md, timeoutMs };
}

/** A header a request requires: present and non-empty, or BAD_REQUEST naming it. */
function field(header: Header, name: string, kind: 'open' | 'call'): string {
  const value = header[name];
  if (value === undefined || value === '') throw badRequest(`${kind} frame lacks the '${name}' header`);
  return value;
}

export function parseError(body: Uint8Array): MicroError {
  try {
    return MicroError.from(JSON.parse(decoder.decode(body)));
  } catch {
    return MicroError.from(undefined);
  }
}
