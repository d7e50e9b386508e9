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

  constructor(
    private readonly socket: Socket,
    readonly role: SessionRole,
    readonly remote: string,
    private readonly config: TcpTransportConfig,
    private readonly hooks: SessionHooks = {},
  ) {
    this.decoder = new FrameDecoder(config.maxFrameBytes);
    socket.setNoDelay(config.noDelay);
    if (config.keepAliveMs > 0) socket.setKeepAlive(true, config.keepAliveMs);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
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

  /** Dialer side: open a new channel on this socket. */
  openChannel(): TcpConnection {
    if (this.state !== 'open') throw unavailable(`tcp connection to ${this.remote} is closing`, { id: 'transport' });
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
    this.hooks.channelClosed?.(this);
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
    const { messages, error } = this.decoder.push(chunk);
    for (const message of messages) this.handle(message);
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
        this.hooks.channelClosed?.(this);
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

  private closed(): void {
    this.state = 'closed';
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
