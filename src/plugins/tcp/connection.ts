/**
 * One logical {@link Connection} (a channel) carried by a {@link Session}'s socket.
 *
 * Contract (from `micro/transport/types.ts`): frames arrive whole and in order; frames that
 * arrive before `onFrame` is registered are buffered; `close` is idempotent, queues a CLOSE
 * behind every frame already sent (so they are flushed first), and every `onClose` handler
 * runs exactly once — on this side with the given reason, on the peer with the reason it
 * decoded. A handler registered after the close runs on the next microtask.
 */
import { unavailable } from '../../micro/errors.js';
import type { Connection, Frame } from '../../micro/transport/types.js';

/** What a channel needs from the socket underneath it. */
export interface ChannelCarrier {
  sendData(channel: number, frame: Frame): void;
  sendClose(channel: number, reason?: Error): void;
  /** Report a handler that threw: it is a bug in the caller, the connection carries on. */
  handlerFailed(channel: number, what: string, thrown: unknown): void;
  /** Undefined while the socket takes more; else settles once it has drained (or closed). */
  whenWritable(): Promise<void> | undefined;
  readonly maxConcurrentStreams: number;
  /** With TLS: the service name the peer's certificate carries. */
  readonly peerService: string | undefined;
}

export class TcpConnection implements Connection {
  private frameHandler: ((frame: Frame) => void) | undefined;
  private early: Frame[] = [];
  private closeHandlers: Array<(reason?: Error) => void> = [];
  private isClosed = false;
  private closeReason: Error | undefined;

  constructor(
    private readonly carrier: ChannelCarrier,
    readonly channel: number,
    readonly remote: string,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  get maxConcurrentStreams(): number {
    return this.carrier.maxConcurrentStreams;
  }

  /** With TLS: the service name in the peer's certificate (checked against `tls.peers`). */
  get peerService(): string | undefined {
    return this.carrier.peerService;
  }

  whenWritable(): Promise<void> | undefined {
    return this.isClosed ? undefined : this.carrier.whenWritable();
  }

  send(frame: Frame): void {
    if (this.isClosed)
      throw unavailable(`tcp connection to ${this.remote} is closed`, { id: 'transport', cause: this.closeReason });
    this.carrier.sendData(this.channel, frame);
  }

  onFrame(handler: (frame: Frame) => void): void {
    this.frameHandler = handler;
    const early = this.early;
    this.early = [];
    for (const frame of early) this.dispatch(handler, frame);
  }

  onClose(handler: (reason?: Error) => void): void {
    if (!this.isClosed) {
      this.closeHandlers.push(handler);
      return;
    }
    const reason = this.closeReason;
    queueMicrotask(() => this.runCloseHandler(handler, reason));
  }

  close(reason?: Error): void {
    if (this.isClosed) return;
    this.carrier.sendClose(this.channel, reason);
    this.finish(reason);
  }

  /** Called by the session: a DATA message for this channel arrived. */
  deliver(frame: Frame): void {
    if (this.isClosed) return;
    if (this.frameHandler === undefined) this.early.push(frame);
    else this.dispatch(this.frameHandler, frame);
  }

  /** Called by the session (peer closed, socket lost) or by `close`: mark closed, run handlers once. */
  finish(reason?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeReason = reason;
    this.early = [];
    const handlers = this.closeHandlers;
    this.closeHandlers = [];
    for (const handler of handlers) this.runCloseHandler(handler, reason);
  }

  private dispatch(handler: (frame: Frame) => void, frame: Frame): void {
    try {
      handler(frame);
    } catch (thrown) {
      this.carrier.handlerFailed(this.channel, 'frame handler', thrown);
    }
  }

  private runCloseHandler(handler: (reason?: Error) => void, reason: Error | undefined): void {
    try {
      handler(reason);
    } catch (thrown) {
      this.carrier.handlerFailed(this.channel, 'close handler', thrown);
    }
  }
}
