/**
 * MuxStream: one call's two directions over a shared connection, the same object on both sides.
 *
 * Contract.
 * - `send` resolves once the message is handed to the connection; it waits while the peer has
 *   granted no credit (back-pressure) or the connection is full, and rejects with the stream's terminal error once it ended.
 * - Reading (`next` or `for await`) yields the peer's messages in order, then finishes when the
 *   peer ends its direction; it throws the peer's error, or CANCELLED when the peer cancelled, or
 *   UNAVAILABLE when the connection dropped.
 * - `cancel()` abandons the stream from this side: the peer is told, local reads finish cleanly,
 *   local sends reject with CANCELLED. `fail(error)` ends it with an error the peer receives.
 * - `signal` aborts, with the terminal error as reason, whenever the stream ends other than by
 *   both sides finishing normally — the handle for cancelling work done on the stream's behalf.
 * - Once both directions ended, or the stream terminated, the mux forgets it.
 */
import { badRequest, cancelled, type MicroError } from '../errors.js';
import { AsyncQueue } from './async-queue.js';
import { cancelFrame, creditFrame, endFrame, errFrame, msgFrame, type OpenRequest } from './mux-frames.js';
import type { Frame } from './types.js';

/** What a stream needs from its multiplexer. */
export interface StreamHost {
  sendFrame(frame: Frame): void;
  /** Undefined when a message may go now; else settles once the connection has drained. */
  writable(): Promise<void> | undefined;
  forget(id: string): void;
}

export class MuxStream implements AsyncIterable<Uint8Array> {
  readonly id: string;
  /** The opening request (on the accepting side, as the peer sent it). */
  readonly request: OpenRequest;
  readonly #host: StreamHost;
  readonly #window: number;
  readonly #incoming: AsyncQueue<Uint8Array>;
  /** Created on first use of `signal`: most unary calls never need one, and they are not free. */
  #abort: AbortController | undefined;
  readonly #terminateHandlers: Array<(error: MicroError) => void> = [];
  #sendCredit: number;
  #creditWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  /** Messages the peer may still send before we grant more. */
  #receiveAllowance: number;
  #consumedSinceGrant = 0;
  #localEnded = false;
  #remoteEnded = false;
  #terminal: MicroError | undefined;

  constructor(id: string, request: OpenRequest, window: number, host: StreamHost) {
    this.id = id;
    this.request = request;
    this.#host = host;
    this.#window = window;
    this.#sendCredit = window;
    this.#receiveAllowance = window;
    this.#incoming = new AsyncQueue<Uint8Array>(() => this.cancel());
  }

  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.#terminal !== undefined) this.#abort.abort(this.#terminal);
    }
    return this.#abort.signal;
  }

  /** Run `handler` once if the stream terminates abnormally (what aborts `signal`). */
  onTerminate(handler: (error: MicroError) => void): void {
    if (this.#terminal !== undefined) handler(this.#terminal);
    else this.#terminateHandlers.push(handler);
  }

  /** True once this stream is finished in both directions or terminated. */
  get done(): boolean {
    return this.#terminal !== undefined || (this.#localEnded && this.#remoteEnded);
  }

  async send(body: Uint8Array, options: { readonly end?: boolean } = {}): Promise<void> {
    while (this.#sendCredit === 0 && !this.#closedForSending()) {
      await new Promise<void>((resolve, reject) => this.#creditWaiters.push({ resolve, reject }));
    }
    for (let full = this.#host.writable(); full !== undefined; full = this.#host.writable()) {
      await full;
      if (this.#closedForSending()) break;
    }
    this.#assertCanSend();
    this.#sendCredit--;
    const end = options.end === true;
    if (end) this.#localEnded = true;
    this.#host.sendFrame(msgFrame(this.id, body, end));
    if (end) this.#forgetIfDone();
  }

  /** Half-close: no more messages from this side. Idempotent. */
  end(): void {
    if (this.#localEnded || this.#terminal !== undefined) return;
    this.#localEnded = true;
    this.#host.sendFrame(endFrame(this.id));
    this.#forgetIfDone();
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    const result = await this.#incoming.next();
    if (!result.done) this.#consumed();
    return result;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return { next: () => this.next(), return: () => this.#incoming.return() };
  }

  /** Abandon the stream from this side; the peer sees CANCELLED. Idempotent. */
  cancel(reason = 'cancelled by the caller'): void {
    if (this.done) return;
    this.#sendFrameQuietly(cancelFrame(this.id));
    this.#terminate(cancelled(reason), 'close');
  }

  /** End the stream with an error the peer receives. Idempotent. */
  fail(error: MicroError): void {
    if (this.done) return;
    this.#sendFrameQuietly(errFrame(this.id, error));
    this.#terminate(error, 'close');
  }

  // ---- called by the multiplexer ----

  /** The open frame carried this side's first message (and maybe its end). */
  sentInOpen(end: boolean): void {
    this.#sendCredit--;
    if (end) this.#localEnded = true;
  }

  /** A message arrived; returns false if the peer overran its window (a protocol violation). */
  receiveMessage(body: Uint8Array, end: boolean): boolean {
    if (this.#terminal !== undefined || this.#remoteEnded) return true;
    if (this.#receiveAllowance === 0) return false;
    this.#receiveAllowance--;
    this.#incoming.push(body);
    if (end) this.receiveEnd();
    return true;
  }

  receiveEnd(): void {
    if (this.#remoteEnded) return;
    this.#remoteEnded = true;
    this.#incoming.close();
    this.#forgetIfDone();
  }

  receiveCredit(n: number): void {
    this.#sendCredit += n;
    for (const waiter of this.#creditWaiters.splice(0)) waiter.resolve();
  }

  /** The peer failed or cancelled the stream, or the connection went: end it here without replying. */
  terminate(error: MicroError): void {
    if (this.#terminal !== undefined) return;
    this.#terminate(error, 'fail');
  }

  #terminate(error: MicroError, reads: 'close' | 'fail'): void {
    this.#terminal = error;
    if (reads === 'close') this.#incoming.close();
    else this.#incoming.fail(error);
    for (const waiter of this.#creditWaiters.splice(0)) waiter.reject(error);
    this.#abort?.abort(error);
    for (const handler of this.#terminateHandlers.splice(0)) handler(error);
    this.#host.forget(this.id);
  }

  #consumed(): void {
    this.#consumedSinceGrant++;
    if (this.#remoteEnded || this.#terminal !== undefined) return;
    if (this.#consumedSinceGrant * 2 < this.#window) return;
    this.#receiveAllowance += this.#consumedSinceGrant;
    this.#sendFrameQuietly(creditFrame(this.id, this.#consumedSinceGrant));
    this.#consumedSinceGrant = 0;
  }

  #closedForSending(): boolean {
    return this.#terminal !== undefined || this.#localEnded;
  }

  #assertCanSend(): void {
    if (this.#terminal !== undefined) throw this.#terminal;
    if (this.#localEnded) throw badRequest(`stream ${this.id}: send after end`);
  }

  #forgetIfDone(): void {
    if (this.#localEnded && this.#remoteEnded) this.#host.forget(this.id);
  }

  #sendFrameQuietly(frame: Frame): void {
    try {
      this.#host.sendFrame(frame);
    } catch {
      // The connection is gone; the peer learns from that instead.
    }
  }
}
