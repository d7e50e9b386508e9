/**
 * A session is one TCP socket carrying many channels (logical connections). It owns the
 * streaming decoder, the per-tick write batching and the channel table, and turns socket
 * trouble into channel closes:
 *
 * - a bad or oversized frame is logged and destroys this socket only; its channels close
 *   with a reason naming the problem;
 * - a lost socket closes its channels with an UNAVAILABLE reason;
 * - `end()` closes every channel (CLOSE queued behind their frames), flushes and ends the
 *   socket, and destroys it if the peer has not finished within `closeTimeoutMs`.
 *
 * Limits (each a `TcpTransportOptions` field):
 * - write back-pressure: once more than `maxWriteBufferBytes` wait to go out, the socket is full:
 *   `whenWritable()` makes stream sends wait, and an acceptor stops dispatching what it read and
 *   stops reading (the peer's requests stay in the kernel) until the socket drains. A dialer
 *   always reads, so two of these never wait on each other;
 * - at most `maxChannelsPerSocket` channels at once: an open past it is answered with a CLOSE
 *   and costs nothing more;
 * - an accepted socket that sends no byte within `firstByteTimeoutMs` is dropped, and one that
 *   carries no channel for `acceptIdleTimeoutMs` is ended.
 */
import type { Socket } from 'node:net';
import { MicroError, unavailable } from '../../micro/errors.js';
import type { Frame } from '../../micro/transport/types.js';
import { type ChannelCarrier, TcpConnection } from './connection.js';
import { FrameDecoder } from './decoder.js';
import type { TcpTransportConfig } from './options.js';
import { encodeClose, encodeData, encodeOpen, type WireMessage } from './wire.js';

export type SessionRole = 'dialer' | 'acceptor';

/** Observers of a session; every hook is optional. */
export interface SessionHooks {
  /** Acceptor side: the peer opened a channel. */
  readonly accept?: (connection: TcpConnection) => void;
  /** A channel on this session closed (either side). */
  readonly channelClosed?: (session: Session) => void;
  /** The socket is gone; every channel has been closed. */
  readonly closed?: (session: Session) => void;
}

interface Timer {
  cancel(): void;
}

/** Frames bigger than this are written on their own rather than copied into a batch. */
const BATCH_COPY_LIMIT = 64 * 1024;

export class Session implements ChannelCarrier {
  private readonly channels = new Map<number, TcpConnection>();
  private readonly decoder: FrameDecoder;
  private nextChannel = 1;
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  private state: 'open' | 'ending' | 'closed' = 'open';
  private failure: Error | undefined;
  private readonly whenClosed: Promise<void>;
  /** Messages read but not yet dispatched while the socket is full (acceptor only). */
  private backlog: WireMessage[] = [];
  private drained: { promise: Promise<void>; resolve: () => void } | undefined;
  private firstByte: Timer | undefined;
  private idle: Timer | undefined;

  constructor(
    private readonly socket: Socket,
    readonly role: SessionRole,
    readonly remote: string,
    private readonly config: TcpTransportConfig,
    private readonly hooks: SessionHooks = {},
    /** With TLS: the service name in the peer's certificate. */
    readonly peerService: string | undefined = undefined,
  ) {
    this.decoder = new FrameDecoder(config.maxFrameBytes);
    socket.setNoDelay(config.noDelay);
    if (config.keepAliveMs > 0) socket.setKeepAlive(true, config.keepAliveMs);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.onDrain());
    if (role === 'acceptor') {
      this.firstByte = config.runtime.timers.setTimeout(
        () => this.dropSilent(`sent nothing within firstByteTimeoutMs (${config.firstByteTimeoutMs} ms)`),
        config.firstByteTimeoutMs,
      );
      this.armIdle();
    }
    socket.on('error', (err) => {
      this.failure ??= unavailable(`tcp connection to ${remote} failed: ${err.message}`, {
        id: 'transport',
        cause: err,
      });
    });
    this.whenClosed = new Promise((resolve) => socket.once('close', resolve)).then(() => this.closed());
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get channelCount(): number {
    return this.channels.size;
  }

  get maxConcurrentStreams(): number {
    return this.config.maxConcurrentStreams;
  }

  /** Bytes waiting to go out: batched here plus buffered by the socket. */
  get queuedBytes(): number {
    return this.outBytes + this.socket.writableLength;
  }

  private get full(): boolean {
    return this.queuedBytes > this.config.maxWriteBufferBytes;
  }

  whenWritable(): Promise<void> | undefined {
    if (this.state === 'closed' || !this.full) return undefined;
    if (this.drained === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.drained = { promise, resolve };
    }
    return this.drained.promise;
  }

  /** Dialer side: open a new channel on this socket. */
  openChannel(): TcpConnection {
    if (this.state !== 'open') throw unavailable(`tcp connection to ${this.remote} is closing`, { id: 'transport' });
    if (this.channels.size >= this.config.maxChannelsPerSocket) {
      throw unavailable(`tcp connection to ${this.remote} carries maxChannelsPerSocket (${this.channels.size})`, {
        id: 'transport',
      });
    }
    this.socket.ref();
    const channel = this.nextChannel++;
    const connection = new TcpConnection(this, channel, this.remote);
    this.channels.set(channel, connection);
    this.enqueue(encodeOpen(channel));
    return connection;
  }

  /** Whether this socket holds the event loop open (a pooled idle socket should not). */
  setKeepsProcessAlive(keep: boolean): void {
    if (keep) this.socket.ref();
    else this.socket.unref();
  }

  sendData(channel: number, frame: Frame): void {
    this.enqueue(encodeData(channel, frame, this.config.maxFrameBytes));
  }

  sendClose(channel: number, reason?: Error): void {
    if (!this.channels.delete(channel)) return;
    if (this.state !== 'closed') this.enqueue(encodeClose(channel, reason));
    this.channelGone();
  }

  handlerFailed(channel: number, what: string, thrown: unknown): void {
    this.config.logger.error(`tcp: a ${what} threw`, { remote: this.remote, channel, error: String(thrown) });
  }

  /** Close every channel with `reason`, flush, end the socket; resolves once it is closed. */
  end(reason?: Error): Promise<void> {
    if (this.state === 'open') {
      this.state = 'ending';
      for (const connection of [...this.channels.values()]) connection.close(reason);
      this.flush();
      this.socket.end();
      const timer = this.config.runtime.timers.setTimeout(() => this.socket.destroy(), this.config.closeTimeoutMs);
      void this.whenClosed.then(() => timer.cancel());
    }
    return this.whenClosed;
  }

  /** Drop the socket now; its channels close with `reason`. */
  destroy(reason: Error): void {
    this.failure ??= reason;
    this.state = this.state === 'closed' ? 'closed' : 'ending';
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.firstByte?.cancel();
    this.firstByte = undefined;
    const { messages, error } = this.decoder.push(chunk);
    if (this.role === 'acceptor' && (this.backlog.length > 0 || this.full)) {
      this.backlog.push(...messages);
      this.socket.pause();
    } else {
      for (let i = 0; i < messages.length; i++) {
        this.handle(messages[i] as WireMessage);
        if (this.role === 'acceptor' && this.full && i + 1 < messages.length) {
          // Stop dispatching: what this socket asks for waits until what it was sent drains.
          this.backlog = messages.slice(i + 1);
          this.socket.pause();
          break;
        }
      }
    }
    if (error !== undefined && this.state !== 'closed') {
      this.config.logger.warn('tcp: closing connection after a bad frame', { remote: this.remote, reason: error });
      this.destroy(
        new MicroError('UNAVAILABLE', `tcp connection to ${this.remote} dropped: ${error}`, {
          id: 'transport',
          retryable: false,
        }),
      );
    }
  }

  private handle(message: WireMessage): void {
    switch (message.type) {
      case 'data':
        this.channels.get(message.channel)?.deliver(message.frame);
        return;
      case 'open':
        this.accept(message.channel);
        return;
      case 'close': {
        const connection = this.channels.get(message.channel);
        if (connection === undefined) return;
        this.channels.delete(message.channel);
        connection.finish(decodeReason(message.reason));
        this.channelGone();
        return;
      }
      default: {
        const never: never = message;
        throw new Error(`unhandled wire message ${JSON.stringify(never)}`);
      }
    }
  }

  private accept(channel: number): void {
    if (this.role !== 'acceptor' || this.channels.has(channel) || this.state !== 'open') {
      const why = this.role !== 'acceptor' ? 'the listener opened a channel' : `channel ${channel} opened twice`;
      if (this.state === 'open') this.protocolError(why);
      return;
    }
    if (this.channels.size >= this.config.maxChannelsPerSocket) {
      const why = `channel ${channel} refused: this socket already carries maxChannelsPerSocket (${this.channels.size})`;
      this.enqueue(encodeClose(channel, unavailable(why, { id: 'transport' })));
      return;
    }
    this.idle?.cancel();
    this.idle = undefined;
    const connection = new TcpConnection(this, channel, this.remote);
    this.channels.set(channel, connection);
    try {
      this.hooks.accept?.(connection);
    } catch (thrown) {
      this.handlerFailed(channel, 'accept handler', thrown);
      connection.close(unavailable('connection refused by its acceptor', { id: 'transport' }));
    }
  }

  private protocolError(why: string): void {
    this.config.logger.warn('tcp: closing connection after a protocol error', { remote: this.remote, reason: why });
    this.destroy(
      new MicroError('UNAVAILABLE', `tcp connection to ${this.remote} dropped: ${why}`, {
        id: 'transport',
        retryable: false,
      }),
    );
  }

  private enqueue(buf: Buffer): void {
    if (this.state === 'closed') return;
    if (buf.length >= BATCH_COPY_LIMIT) {
      this.flush();
      if (this.socket.writable) this.socket.write(buf);
      return;
    }
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0) return;
    const batch = this.out.length === 1 ? (this.out[0] as Buffer) : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(batch);
  }

  /** The socket drained: wake waiting senders, then dispatch what waited, then read again. */
  private onDrain(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.resolve();
    while (this.backlog.length > 0 && !this.full && this.state !== 'closed') {
      this.handle(this.backlog.shift() as WireMessage);
    }
    if (this.backlog.length === 0 && this.state !== 'closed') this.socket.resume();
  }

  private channelGone(): void {
    this.hooks.channelClosed?.(this);
    this.armIdle();
  }

  /** Acceptor: end the socket once it has carried no channel for `acceptIdleTimeoutMs`. */
  private armIdle(): void {
    if (this.role !== 'acceptor' || this.config.acceptIdleTimeoutMs === 0 || this.channels.size > 0) return;
    if (this.state !== 'open' || this.idle !== undefined) return;
    this.idle = this.config.runtime.timers.setTimeout(() => {
      this.idle = undefined;
      if (this.channels.size === 0 && this.state === 'open') {
        this.config.logger.debug('tcp: ending an idle accepted socket', { remote: this.remote });
        void this.end();
      }
    }, this.config.acceptIdleTimeoutMs);
  }

  private dropSilent(why: string): void {
    if (this.state === 'closed') return;
    this.config.logger.warn('tcp: dropping an accepted socket', { remote: this.remote, reason: why });
    this.destroy(unavailable(`tcp connection from ${this.remote} ${why}`, { id: 'transport', retryable: false }));
  }

  private closed(): void {
    this.state = 'closed';
    this.firstByte?.cancel();
    this.idle?.cancel();
    this.backlog = [];
    this.drained?.resolve();
    this.drained = undefined;
    this.out = [];
    const reason = this.failure ?? unavailable(`tcp connection to ${this.remote} closed`, { id: 'transport' });
    const channels = [...this.channels.values()];
    this.channels.clear();
    for (const connection of channels) connection.finish(reason);
    this.hooks.closed?.(this);
  }
}

/** The peer's close reason: a MicroError when it sent one, a plain Error otherwise. */
function decodeReason(text: string): Error | undefined {
  if (text === '') return undefined;
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === 'object' && data !== null && 'code' in data) return MicroError.from(data);
    if (typeof data === 'object' && data !== null && 'message' in data) return new Error(String(data.message));
  } catch {
    // fall through: an unparsable reason is still a reason
  }
  return new Error(text);
}
