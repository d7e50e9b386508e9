/**
 * Mux: many calls and streams over one {@link Connection}. Shared by every transport, so memory,
 * simulated and TCP connections all speak the same protocol (see `mux-frames.ts`).
 *
 * Contract.
 * - Either side may `open` a stream or make a unary `call`; the dialing side uses odd ids, the
 *   accepting side even ones.
 * - A stream opened by the peer is handed to `onStream`; when there is none, it is refused with
 *   UNAVAILABLE. A unary call from the peer goes to `onCall` (no stream machinery); without one it
 *   is handed to `onStream` as a stream with one message and its end, and answered from there.
 * - Flow control is per stream and counted in messages: a side may have at most `window`
 *   unconsumed messages in flight; the reader grants more as it consumes.
 * - A malformed frame or a window overrun fails its own stream with BAD_REQUEST (a bad `open` is
 *   answered with an `err` frame), never the connection: the other calls on it carry on. A frame
 *   naming no stream is dropped; a frame for a stream that is already finished is ignored (it
 *   raced the finish).
 * - At most `maxConcurrentStreams` streams per side are open at once: opens past it wait here,
 *   in order, until a stream finishes; an acceptor refuses a peer's open past it with a retryable
 *   UNAVAILABLE (a peer that ignores the limit).
 * - Sending a message waits while the connection says it is full (`whenWritable`), so a stream
 *   never piles bytes onto a socket that is not draining.
 * - When the connection closes, every open stream terminates with UNAVAILABLE.
 */
import { badRequest, cancelled, isMicroError, type MicroError, unavailable } from '../errors.js';
import {
  callFrame,
  errFrame,
  frameKind,
  type OpenRequest,
  openFrame,
  parseCall,
  parseError,
  parseOpen,
} from './mux-frames.js';
import { MuxStream } from './mux-stream.js';
import { type Exchange, IncomingCall, OutgoingCall, type UnaryHandle, type UnaryReceiver } from './mux-unary.js';
import type { Carried, Connection, Frame } from './types.js';

export const DEFAULT_STREAM_WINDOW = 16;
/**
 * Streams either side may have open on one connection at once (HTTP/2 leaves the number to
 * SETTINGS_MAX_CONCURRENT_STREAMS and advises at least 100; that is the default here). Opens past
 * it wait on the opening side, in order, and an acceptor refuses any the peer sends past it.
 */
export const DEFAULT_MAX_CONCURRENT_STREAMS = 100;

export interface MuxOptions {
  /** Which side of the connection this is: picks odd (`dialer`) or even (`acceptor`) stream ids. */
  readonly role: 'dialer' | 'acceptor';
  /** Receive window per stream, in messages. Default: {@link DEFAULT_STREAM_WINDOW}. */
  readonly window?: number;
  /** Streams the peer opens. Default: none (they are refused with UNAVAILABLE). */
  readonly onStream?: (stream: MuxStream) => void;
  /** Unary calls the peer makes. Default: each becomes a stream for `onStream`. */
  readonly onCall?: (call: IncomingCall) => void;
  /**
   * Streams each side may have open at once. Default: the connection's own limit when the
   * transport sets one, else {@link DEFAULT_MAX_CONCURRENT_STREAMS}.
   */
  readonly maxConcurrentStreams?: number;
}

/** A stream or call opened here that waits for a slot: its frames are held until the open goes out. */
interface PendingOpen {
  readonly frames: Frame[];
}

export class Mux {
  readonly connection: Connection;
  readonly #streams = new Map<string, Exchange>();
  readonly #window: number;
  readonly #onStream: ((stream: MuxStream) => void) | undefined;
  readonly #onCall: ((call: IncomingCall) => void) | undefined;
  readonly #closeHandlers: Array<(reason?: Error) => void> = [];
  readonly #maxConcurrentStreams: number;
  /** Streams the peer opened that are not finished. */
  #peerStreams = 0;
  /** Streams opened here whose open frame went out and that are not finished. */
  #ownStreams = 0;
  readonly #pending = new Map<string, PendingOpen>();
  #nextId: number;

  constructor(connection: Connection, options: MuxOptions) {
    this.connection = connection;
    this.#window = options.window ?? DEFAULT_STREAM_WINDOW;
    if (!Number.isInteger(this.#window) || this.#window < 1) {
      throw badRequest(`mux window must be a positive integer, got ${options.window}`);
    }
    this.#maxConcurrentStreams =
      options.maxConcurrentStreams ?? connection.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS;
    if (!Number.isInteger(this.#maxConcurrentStreams) || this.#maxConcurrentStreams < 1) {
      throw badRequest(`mux maxConcurrentStreams must be a positive integer, got ${this.#maxConcurrentStreams}`);
    }
    this.#onStream = options.onStream;
    this.#onCall = options.onCall;
    this.#nextId = options.role === 'dialer' ? 1 : 2;
    connection.onFrame((frame) => this.#receive(frame));
    connection.onClose((reason) => this.#closed(reason));
  }

  get closed(): boolean {
    return this.connection.closed;
  }

  /** Streams not yet finished (including those waiting for a slot). */
  get active(): number {
    return this.#streams.size;
  }

  /** Streams opened here that wait for a slot under `maxConcurrentStreams`. */
  get waiting(): number {
    return this.#pending.size;
  }

  onClose(handler: (reason?: Error) => void): void {
    this.#closeHandlers.push(handler);
  }

  /**
   * Open a stream. With `first`, the open frame carries the first message (and, with
   * `end: true`, this side's end too: a unary request is then a single frame).
   */
  open(request: OpenRequest, first?: { readonly body: Uint8Array; readonly end?: boolean }): MuxStream {
    if (this.closed) throw unavailable(`connection to ${this.connection.remote} is closed`, { id: 'transport' });
    const id = String(this.#nextId);
    this.#nextId += 2;
    const stream = new MuxStream(id, request, this.#window, this.#host);
    if (first !== undefined) stream.sentInOpen(first.end === true);
    this.#start(id, stream, openFrame(id, request, this.#window, first?.body, first?.end === true));
    return stream;
  }

  /**
   * Make a unary call: one `call` frame out; `receiver` hears the one reply or the error. No
   * stream, queue or promise is made for it (see `mux-unary.ts`).
   */
  call(request: OpenRequest, body: Uint8Array, receiver: UnaryReceiver, carried?: Carried): UnaryHandle {
    if (this.closed) throw unavailable(`connection to ${this.connection.remote} is closed`, { id: 'transport' });
    const id = String(this.#nextId);
    this.#nextId += 2;
    const call = new OutgoingCall(id, receiver, this.#host);
    this.#start(id, call, callFrame(id, request, body, carried));
    return call;
  }

  /** Send the first frame of a stream or call opened here, or hold it while no slot is free. */
  #start(id: string, exchange: Exchange, frame: Frame): void {
    this.#streams.set(id, exchange);
    if (this.#ownStreams >= this.#maxConcurrentStreams) {
      this.#pending.set(id, { frames: [frame] });
      return;
    }
    try {
      this.connection.send(frame);
    } catch (error) {
      this.#streams.delete(id);
      throw error;
    }
    this.#ownStreams++;
  }

  close(reason?: Error): void {
    this.connection.close(reason);
  }

  readonly #host = {
    sendFrame: (frame: Frame) => {
      const pending = this.#pending.size === 0 ? undefined : this.#pending.get(frame.header.id ?? '');
      if (pending === undefined) this.connection.send(frame);
      else pending.frames.push(frame);
    },
    writable: () => this.connection.whenWritable?.(),
    forget: (id: string) => {
      if (!this.#streams.delete(id)) return;
      if (this.#pending.delete(id)) return; // it never went out: nothing to free
      if (this.#isPeerId(id)) this.#peerStreams--;
      else this.#ownStreams--;
      this.#openWaiting();
    },
  };

  /** Send the opens (and frames held behind them) of waiting streams while there are slots. */
  #openWaiting(): void {
    if (this.#pending.size === 0) return;
    for (const [id, pending] of this.#pending) {
      if (this.#ownStreams >= this.#maxConcurrentStreams || this.closed) return;
      this.#pending.delete(id);
      this.#ownStreams++;
      try {
        for (const frame of pending.frames) this.connection.send(frame);
      } catch {
        return; // closed: #closed terminates every stream
      }
    }
  }

  #receive(frame: Frame): void {
    const id = frame.header.id;
    try {
      this.#dispatch(frame);
    } catch (error) {
      // A bad frame fails its own stream, never the connection: the other calls carry on.
      const reason = isMicroError(error) ? error : badRequest('malformed frame');
      if (id === undefined || id === '') return; // nobody to tell: dropped
      const stream = this.#streams.get(id);
      if (stream !== undefined) stream.fail(reason);
      else if (frame.header.t === 'open' || frame.header.t === 'call') this.#refuse(id, reason);
    }
  }

  #dispatch(frame: Frame): void {
    const { header } = frame;
    const kind = frameKind(header);
    const id = header.id;
    if (kind === undefined) throw badRequest(`frame has an unknown kind '${header.t}'`);
    if (id === undefined || id === '') throw badRequest(`'${kind}' frame lacks a stream id`);
    if (kind === 'open' || kind === 'call') {
      this.#accept(id, frame, kind);
      return;
    }
    const stream = this.#streams.get(id);
    if (stream === undefined) return; // raced the stream's finish
    switch (kind) {
      case 'msg':
        if (!stream.receiveMessage(frame.body, header.end === '1', frame.carried)) {
          throw badRequest(`stream ${id} overran its flow-control window`);
        }
        return;
      case 'end':
        stream.receiveEnd();
        return;
      case 'credit': {
        const n = Number(header.n);
        if (!Number.isInteger(n) || n < 1) throw badRequest(`credit frame has a bad 'n' header: '${header.n}'`);
        stream.receiveCredit(n);
        return;
      }
      case 'err':
        stream.terminate(parseError(frame.body));
        return;
      case 'cancel':
        stream.terminate(cancelledByPeer(id));
        return;
      default: {
        const never: never = kind;
        throw badRequest(`unhandled frame kind ${String(never)}`);
      }
    }
  }

  #accept(id: string, frame: Frame, kind: 'open' | 'call'): void {
    const existing = this.#streams.get(id);
    if (existing !== undefined) {
      existing.fail(badRequest(`stream ${id} opened twice`));
      return;
    }
    if (!this.#ownsPeerId(id)) throw badRequest(`stream id '${id}' is not one the peer may open`);
    const unary = kind === 'call';
    let request: OpenRequest;
    let window = this.#window;
    if (unary) request = parseCall(frame.header);
    else ({ request, window } = parseOpen(frame.header));
    const onCall = unary ? this.#onCall : undefined;
    if (unary && onCall === undefined && frame.carried !== undefined) {
      throw badRequest(`call ${id} carries a value, which only an onCall handler can take`);
    }
    if (onCall === undefined && this.#onStream === undefined) {
      this.#refuse(id, unavailable('this side accepts no streams', { id: 'transport' }));
      return;
    }
    if (this.#peerStreams >= this.#maxConcurrentStreams) {
      this.#refuse(
        id,
        unavailable(
          `stream ${id} refused: the peer already has ${this.#peerStreams} streams open (maxConcurrentStreams)`,
          {
            id: 'transport',
          },
        ),
      );
      return;
    }
    this.#peerStreams++;
    if (onCall !== undefined) {
      const call = new IncomingCall(id, request, frame.body, frame.carried, this.connection.values, this.#host);
      this.#streams.set(id, call);
      onCall(call);
      return;
    }
    const stream = new MuxStream(id, request, window, this.#host);
    this.#streams.set(id, stream);
    if (unary || frame.header.msg === '1') stream.receiveMessage(frame.body, false);
    if (unary || frame.header.end === '1') stream.receiveEnd();
    this.#onStream?.(stream);
  }

  /** Answer an open this side will not serve with an `err` frame; nothing is kept for it. */
  #refuse(id: string, reason: MicroError): void {
    try {
      this.connection.send(errFrame(id, reason));
    } catch {
      // The connection is gone; the peer learns from that instead.
    }
  }

  /** Peer-opened ids have the peer's parity: odd from a dialer, even from an acceptor. */
  #ownsPeerId(id: string): boolean {
    const n = Number(id);
    return Number.isSafeInteger(n) && n > 0 && String(n) === id && this.#isPeerId(id);
  }

  #isPeerId(id: string): boolean {
    const last = id.charCodeAt(id.length - 1) - 48;
    return last % 2 !== this.#nextId % 2;
  }

  #closed(reason?: Error): void {
    const error: MicroError = unavailable(
      `connection to ${this.connection.remote} closed${reason === undefined ? '' : `: ${reason.message}`}`,
      { id: 'transport' },
    );
    this.#pending.clear();
    for (const stream of [...this.#streams.values()]) stream.terminate(error);
    this.#streams.clear();
    for (const handler of this.#closeHandlers.splice(0)) handler(reason);
  }
}

function cancelledByPeer(id: string): MicroError {
  return cancelled(`stream ${id} was cancelled by the peer`, { id: 'transport' });
}
