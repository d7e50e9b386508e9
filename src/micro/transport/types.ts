/**
 * Transport: moves framed messages {header, body} between two endpoints.
 *
 * Contract. A transport is deliberately narrow: `listen` accepts connections, `dial` opens
 * one, and a {@link Connection} carries whole frames in order until it closes. Everything
 * richer — request ids, multiplexing unary calls and streams over one connection, flow
 * control, deadlines — lives in shared code above this interface (see `mux.ts`), so memory,
 * simulated and TCP transports differ only in how a frame crosses the gap.
 *
 * - Frames sent on an open connection arrive whole and in order, or the connection closes
 *   (a simulated network may also lose a frame; callers rely on timeouts, never on delivery).
 * - `close` is idempotent; both sides' `onClose` handlers run once, with the reason if any.
 * - `dial` to an address nobody listens on rejects with an UNAVAILABLE MicroError.
 * - A malformed or oversized frame closes that connection only, with a reason; the listener
 *   keeps serving others.
 */

export type Header = Readonly<Record<string, string>>;

export interface Frame {
  readonly header: Header;
  readonly body: Uint8Array;
  /**
   * On a connection that passes values ({@link Connection.values}) only: the message itself, in
   * place of its encoded `body` (then empty). Every other frame has none.
   */
  readonly carried?: Carried;
}

/** A message crossing an in-process connection as its value rather than its codec round trip. */
export interface Carried {
  readonly value: unknown;
  /** The bytes it stands for on the wire (what its encoding measured last time), for bandwidth. */
  readonly size: number;
}

/** Which way a message of a call goes. */
export type Direction = 'request' | 'reply';

/**
 * A connection that may hand a unary message over as its value (an owned copy) instead of
 * encoding and decoding it — the sim transport in its `codec: 'sampled'` mode. The codec still
 * runs on what the transport asks to see: `passes` answers per message, `encoded` hears back.
 */
export interface ValuePassing {
  /** The size to charge if this message may cross as its value; undefined: encode it. */
  passes(endpoint: string, direction: Direction): number | undefined;
  /** The message was encoded to `size` bytes; `faithful`: decoding the bytes gave the value back. */
  encoded(endpoint: string, direction: Direction, size: number, faithful: boolean): void;
}

export interface Connection {
  /** The address of the other side. */
  readonly remote: string;
  readonly closed: boolean;
  /** Queue a frame for sending. Throws an UNAVAILABLE MicroError if the connection is closed. */
  send(frame: Frame): void;
  /** Register the frame handler (one per connection; frames arriving before it are buffered). */
  onFrame(handler: (frame: Frame) => void): void;
  onClose(handler: (reason?: Error) => void): void;
  close(reason?: Error): void;
  /**
   * Write back-pressure, for transports that have it: undefined while frames may be sent, else a
   * promise that settles once the connection has drained (or closed). Senders that can wait
   * (stream messages) do; control frames go regardless. Default: never full.
   */
  whenWritable?(): Promise<void> | undefined;
  /** The transport's limit on streams per side of this connection, if it sets one (see `Mux`). */
  readonly maxConcurrentStreams?: number;
  /** In-process transports only: unary messages may cross as values (see {@link ValuePassing}). */
  readonly values?: ValuePassing | undefined;
}

export interface Listener {
  readonly address: string;
  close(): Promise<void>;
}

export interface DialOptions {
  readonly signal?: AbortSignal;
}

export interface Transport {
  readonly name: string;
  listen(address: string, accept: (connection: Connection) => void): Promise<Listener>;
  dial(address: string, options?: DialOptions): Promise<Connection>;
}
