/**
 * Unary calls on a mux without the stream machinery: no queue, no credit, no per-call promise in
 * the mux. A call is one `call` frame out and one `msg`+`end` (or `err`) back; `cancel` from the
 * caller abandons it. Both sides are small objects the mux keeps by stream id, like a stream.
 *
 * Contract.
 * - The caller's {@link UnaryReceiver} hears exactly once: the reply's body, or the error (the
 *   peer's `err`, CANCELLED when the peer cancelled, UNAVAILABLE when the connection dropped,
 *   INTERNAL when the peer ended without a reply) — unless the caller cancelled first.
 * - The callee answers once with `reply` or `fail`; later answers are ignored. Its `watcher`
 *   hears the abort (the caller cancelled, the connection dropped, or `fail`), as a stream's
 *   signal would.
 */
import { internal, type MicroError } from '../errors.js';
import { cancelFrame, errFrame, type OpenRequest, replyFrame } from './mux-frames.js';
import type { StreamHost } from './mux-stream.js';
import type { Carried, Frame, ValuePassing } from './types.js';

/** What the mux hands a call's frames to: a stream, or one side of a unary call. */
export interface Exchange {
  readonly done: boolean;
  /** False if the message overran what the peer may send (a protocol violation). */
  receiveMessage(body: Uint8Array, end: boolean, carried?: Carried): boolean;
  receiveEnd(): void;
  receiveCredit(n: number): void;
  /** The peer failed or cancelled, or the connection went: end here without replying. */
  terminate(error: MicroError): void;
  /** End with an error the peer receives. */
  fail(error: MicroError): void;
}

/** Who hears a unary call's outcome (an object, so a caller need not allocate closures). */
export interface UnaryReceiver {
  /** The reply: its body, or (on a connection that passes values) the value it carried. */
  onReply(body: Uint8Array, carried: Carried | undefined): void;
  onError(error: MicroError): void;
}

/** The caller's handle on a call in flight. */
export interface UnaryHandle {
  /** Abandon the call: the peer is told (its handler's signal aborts); the receiver hears nothing. */
  cancel(reason?: string): void;
}

/** The caller's side of a unary call. */
export class OutgoingCall implements Exchange, UnaryHandle {
  readonly id: string;
  readonly #receiver: UnaryReceiver;
  readonly #host: StreamHost;
  #done = false;

  constructor(id: string, receiver: UnaryReceiver, host: StreamHost) {
    this.id = id;
    this.#receiver = receiver;
    this.#host = host;
  }

  get done(): boolean {
    return this.#done;
  }

  cancel(): void {
    if (this.#finish()) sendQuietly(this.#host, cancelFrame(this.id));
  }

  receiveMessage(body: Uint8Array, end: boolean, carried?: Carried): boolean {
    if (!this.#finish()) return true;
    if (!end) sendQuietly(this.#host, cancelFrame(this.id)); // a stream answered: one reply is all we take
    this.#receiver.onReply(body, carried);
    return true;
  }

  receiveEnd(): void {
    this.terminate(internal(`stream ${this.id}: the server ended without a reply`, { id: 'transport' }));
  }

  receiveCredit(): void {}

  terminate(error: MicroError): void {
    if (this.#finish()) this.#receiver.onError(error);
  }

  fail(error: MicroError): void {
    if (!this.#finish()) return;
    sendQuietly(this.#host, errFrame(this.id, error));
    this.#receiver.onError(error);
  }

  #finish(): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#host.forget(this.id);
    return true;
  }
}

/** Told once when an incoming call is aborted. */
export interface CallWatcher {
  abort(reason: MicroError): void;
}

/** The callee's side of a unary call: the request, its body, and one answer. */
export class IncomingCall implements Exchange {
  readonly id: string;
  readonly request: OpenRequest;
  readonly body: Uint8Array;
  /** The request as a value, when the connection passed it so (see `values.ts`). */
  readonly carried: Carried | undefined;
  /** The connection's value passing, for the reply (see `values.ts`). */
  readonly values: ValuePassing | undefined;
  /** Hears the abort (set by whoever serves the call). */
  watcher: CallWatcher | undefined;
  readonly #host: StreamHost;
  #done = false;

  constructor(
    id: string,
    request: OpenRequest,
    body: Uint8Array,
    carried: Carried | undefined,
    values: ValuePassing | undefined,
    host: StreamHost,
  ) {
    this.id = id;
    this.request = request;
    this.body = body;
    this.carried = carried;
    this.values = values;
    this.#host = host;
  }

  get done(): boolean {
    return this.#done;
  }

  reply(body: Uint8Array, carried?: Carried): void {
    if (!this.#finish()) return;
    this.#host.sendFrame(replyFrame(this.id, body, carried));
  }

  fail(error: MicroError): void {
    if (!this.#finish()) return;
    sendQuietly(this.#host, errFrame(this.id, error));
    this.watcher?.abort(error);
  }

  /** A unary caller sends nothing after its request: a message is an overrun. */
  receiveMessage(): boolean {
    return this.#done;
  }

  receiveEnd(): void {}

  receiveCredit(): void {}

  terminate(error: MicroError): void {
    if (this.#finish()) this.watcher?.abort(error);
  }

  #finish(): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#host.forget(this.id);
    return true;
  }
}

function sendQuietly(host: StreamHost, frame: Frame): void {
  try {
    host.sendFrame(frame);
  } catch {
    // The connection is gone; the peer learns from that instead.
  }
}
