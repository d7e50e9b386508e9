/**
 * Mux: many calls and streams over one {@link Connection}. Shared by every transport, so memory,
 * simulated and TCP connections all speak the same protocol (see `mux-frames.ts`).
 *
 * Contract.
 * - Either side may `open` a stream; the dialing side uses odd ids, the accepting side even ones.
 * - A stream opened by the peer is handed to `onStream`; when there is none, it is refused with
 *   UNAVAILABLE.
 * - Flow control is per stream and counted in messages: a side may have at most `window`
 *   unconsumed messages in flight; the reader grants more as it consumes.
 * - A malformed frame or a window overrun closes the connection with a BAD_REQUEST reason; a frame
 *   for a stream that is already finished is ignored (it raced the finish).
 * - When the connection closes, every open stream terminates with UNAVAILABLE.
 */
import { badRequest, cancelled, isMicroError, type MicroError, unavailable } from '../errors.js';
import { frameKind, type OpenRequest, openFrame, parseError, parseOpen } from './mux-frames.js';
import { MuxStream } from './mux-stream.js';
import type { Connection, Frame } from './types.js';

export const DEFAULT_STREAM_WINDOW = 16;

export interface MuxOptions {
  /** Which side of the connection this is: picks odd (`dialer`) or even (`acceptor`) stream ids. */
  readonly role: 'dialer' | 'acceptor';
  /** Receive window per stream, in messages. Default: {@link DEFAULT_STREAM_WINDOW}. */
  readonly window?: number;
  /** Streams the peer opens. Default: none (they are refused with UNAVAILABLE). */
  readonly onStream?: (stream: MuxStream) => void;
}

export class Mux {
  readonly connection: Connection;
  readonly #streams = new Map<string, MuxStream>();
  readonly #window: number;
  readonly #onStream: ((stream: MuxStream) => void) | undefined;
  readonly #closeHandlers: Array<(reason?: Error) => void> = [];
  #nextId: number;

  constructor(connection: Connection, options: MuxOptions) {
    this.connection = connection;
    this.#window = options.window ?? DEFAULT_STREAM_WINDOW;
    if (!Number.isInteger(this.#window) || this.#window < 1) {
      throw badRequest(`mux window must be a positive integer, got ${options.window}`);
    }
    this.#onStream = options.onStream;
    this.#nextId = options.role === 'dialer' ? 1 : 2;
    connection.onFrame((frame) => this.#receive(frame));
    connection.onClose((reason) => this.#closed(reason));
  }

  get closed(): boolean {
    return this.connection.closed;
  }

  /** Streams not yet finished. */
  get active(): number {
    return this.#streams.size;
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
    this.#streams.set(id, stream);
    if (first !== undefined) stream.sentInOpen(first.end === true);
    try {
      this.connection.send(openFrame(id, request, this.#window, first?.body, first?.end === true));
    } catch (error) {
      this.#streams.delete(id);
      throw error;
    }
    return stream;
  }

  close(reason?: Error): void {
    this.connection.close(reason);
  }

  readonly #host = {
    sendFrame: (frame: Frame) => this.connection.send(frame),
    forget: (id: string) => {
      this.#streams.delete(id);
    },
  };

  #receive(frame: Frame): void {
    try {
      this.#dispatch(frame);
    } catch (error) {
      const reason = isMicroError(error) ? error : badRequest('malformed frame');
      this.connection.close(reason);
    }
  }

  #dispatch(frame: Frame): void {
    const { header } = frame;
    const kind = frameKind(header);
    const id = header.id;
    if (kind === undefined) throw badRequest(`frame has an unknown kind '${header.t}'`);
    if (id === undefined || id === '') throw badRequest(`'${kind}' frame lacks a stream id`);
    if (kind === 'open') {
      this.#accept(id, frame);
      return;
    }
    const stream = this.#streams.get(id);
    if (stream === undefined) return; // raced the stream's finish
    switch (kind) {
      case 'msg':
        if (!stream.receiveMessage(frame.body, header.end === '1')) {
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

  #accept(id: string, frame: Frame): void {
    if (this.#streams.has(id)) throw badRequest(`stream ${id} opened twice`);
    const { request, window } = parseOpen(frame.header);
    const stream = new MuxStream(id, request, window, this.#host);
    if (this.#onStream === undefined) {
      stream.fail(unavailable('this side accepts no streams', { id: 'transport' }));
      return;
    }
    this.#streams.set(id, stream);
    if (frame.header.msg === '1') stream.receiveMessage(frame.body, false);
    if (frame.header.end === '1') stream.receiveEnd();
    this.#onStream(stream);
  }

  #closed(reason?: Error): void {
    const error: MicroError = unavailable(
      `connection to ${this.connection.remote} closed${reason === undefined ? '' : `: ${reason.message}`}`,
      { id: 'transport' },
    );
    for (const stream of [...this.#streams.values()]) stream.terminate(error);
    this.#streams.clear();
    for (const handler of this.#closeHandlers.splice(0)) handler(reason);
  }
}

function cancelledByPeer(id: string): MicroError {
  return cancelled(`stream ${id} was cancelled by the peer`, { id: 'transport' });
}
