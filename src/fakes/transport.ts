/**
 * The simulated transport: {@link Transport} connections carried as messages over the sim network,
 * so RPC between two sim nodes feels latency, loss, bandwidth, partitions and crashes.
 *
 * How it behaves (and why it is TCP-like enough):
 * - Each transport instance owns one sim port (`transport.<n>`, numbered per node incarnation);
 *   `listen('')` gives the address `sim://<node>/<port>`. `dial` sends a `syn` and waits for the
 *   `syn-ack` up to `connectTimeoutMs` on the dialer's clock; a refused or unanswered dial rejects
 *   with UNAVAILABLE.
 * - Frames carry a sequence number and a `size` (body + header bytes) for bandwidth. A receiver
 *   delivers a frame only if it is newer than the last one delivered: duplicates vanish and a
 *   reordered (late) frame counts as lost. Order is kept; loss is possible — callers rely on
 *   deadlines, as the Transport contract says.
 * - A crashed node forgets its connections. The peer is not told (no packets leave a dead node), so
 *   its calls time out; once the node restarts, the next frame on a forgotten connection is
 *   answered with `rst` and the peer's connection closes (UNAVAILABLE), so its pool redials.
 * - A node restarted onto a new address listens on `transport.<n>~<epoch>` (`sim-address.ts`); what
 *   still arrives at an earlier address is refused (UNAVAILABLE), and `listen` traces `new-address`.
 * - Unary messages go through their codec as `codec` says (`codec-sampling.ts`): by default the
 *   first of each endpoint and direction and a seeded sample of the rest, the others as an owned
 *   copy of the value; `codec: 'always'` encodes every one.
 */
import { badRequest, unavailable } from '../micro/errors.js';
import type { Runtime } from '../micro/runtime.js';
import type { Connection, DialOptions, Frame, Listener, Transport, ValuePassing } from '../micro/transport/types.js';
import { ownedCopy } from '../sim/owned-copy.js';
import type { Random } from '../sim/types.js';
import {
  CODEC_MODES,
  type CodecMode,
  CodecSampler,
  DEFAULT_CODEC_MODE,
  DEFAULT_CODEC_SAMPLE_RATE,
} from './codec-sampling.js';
import { NEW_ADDRESS_RECORD, retiredPortNames, transportPortName } from './sim-address.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 1_000;
/** Bytes added to each frame's size for its envelope. */
export const FRAME_OVERHEAD_BYTES = 16;

/** The part of a sim NodeContext the transport needs. */
export interface TransportPort {
  readonly name: string;
  readonly runtime: Runtime;
  send(to: string, payload: unknown, options?: { port?: string; size?: number }): void;
  on(port: string, handler: (message: { from: string; payload: unknown }) => void): () => void;
  /** Restarts onto a new address so far (see `sim-address.ts`). Default: 0. */
  readonly addressEpoch?: number;
  /** Trace a custom record (the `new-address` record on listen). Default: none. */
  record?(event: { readonly type: string; readonly [key: string]: unknown }): void;
  /** A named random stream of the node (the codec sample's). Default: the runtime's random. */
  rng?(name: string): Random;
}

export interface SimTransportOptions {
  /** How long a dial waits for the listener's answer. Default: DEFAULT_CONNECT_TIMEOUT_MS. */
  readonly connectTimeoutMs?: number;
  /** How often unary messages really go through their codec (see `codec-sampling.ts`). Default: DEFAULT_CODEC_MODE. */
  readonly codec?: CodecMode;
  /** In `'sampled'` mode, the share of a faithful endpoint's messages still encoded. Default: DEFAULT_CODEC_SAMPLE_RATE. */
  readonly codecSampleRate?: number;
}

type Wire =
  | { readonly type: 'syn'; readonly conn: string; readonly port: string }
  | { readonly type: 'syn-ack'; readonly conn: string }
  | { readonly type: 'rst'; readonly conn: string; readonly reason: string }
  | {
      readonly type: 'frame';
      readonly conn: string;
      readonly side: Side;
      readonly port: string;
      readonly seq: number;
      readonly frame: Frame;
      /** The receiver's key for this connection (`<side>|<sender>|<conn>`), made once per connection. */
      readonly key: string;
    }
  | { readonly type: 'fin'; readonly conn: string; readonly side: Side; readonly reason?: string };

/** Which end of a connection a message is for: the dialer's or the acceptor's. */
type Side = 'dialer' | 'acceptor';

const instances = new WeakMap<TransportPort, number>();

export function simTransport(ctx: TransportPort, options: SimTransportOptions = {}): Transport {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!(connectTimeoutMs > 0)) throw badRequest(`simTransport: connectTimeoutMs must be > 0, got ${connectTimeoutMs}`);
  const values = codecSampler(ctx, options);
  const n = (instances.get(ctx) ?? 0) + 1;
  instances.set(ctx, n);
  const epoch = ctx.addressEpoch ?? 0;
  const transport = new SimTransport(ctx, transportPortName(n, epoch), connectTimeoutMs, values);
  for (const port of retiredPortNames(n, epoch)) transport.retire(port);
  return transport;
}

function codecSampler(ctx: TransportPort, options: SimTransportOptions): ValuePassing | undefined {
  const mode = options.codec ?? DEFAULT_CODEC_MODE;
  if (!CODEC_MODES.includes(mode)) {
    throw badRequest(`simTransport: codec must be one of ${CODEC_MODES.join(', ')}, got ${String(mode)}`);
  }
  const rate = options.codecSampleRate ?? DEFAULT_CODEC_SAMPLE_RATE;
  if (!(rate >= 0 && rate <= 1)) throw badRequest(`simTransport: codecSampleRate must be in [0, 1], got ${rate}`);
  if (mode === 'always') return undefined;
  return new CodecSampler(ctx.rng?.('codec-sample') ?? ctx.runtime.random, rate);
}

class SimTransport implements Transport {
  readonly name = 'sim';
  readonly #ctx: TransportPort;
  readonly #port: string;
  readonly #connectTimeoutMs: number;
  /** Connections by `<side>|<peer node>|<conn id>` (a node may dial itself). */
  readonly #connections = new Map<string, SimConnection>();
  readonly #dialing = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  #accept: ((connection: Connection) => void) | undefined;
  #nextConn = 1;
  readonly #retired: string[] = [];

  readonly #values: ValuePassing | undefined;

  constructor(ctx: TransportPort, port: string, connectTimeoutMs: number, values: ValuePassing | undefined) {
    this.#values = values;
    this.#ctx = ctx;
    this.#port = port;
    this.#connectTimeoutMs = connectTimeoutMs;
    ctx.on(port, ({ from, payload }) => this.#receive(from, payload as Wire));
  }

  async listen(address: string, accept: (connection: Connection) => void): Promise<Listener> {
    const own = `sim://${this.#ctx.name}/${this.#port}`;
    if (address !== '' && address !== own) {
      throw badRequest(`sim transport on ${this.#ctx.name} can listen on '' or '${own}', not '${address}'`);
    }
    if (this.#accept !== undefined) throw badRequest(`sim transport: '${own}' is already listening`);
    this.#accept = accept;
    const old = this.#retired.at(-1);
    if (old !== undefined)
      this.#ctx.record?.({ type: NEW_ADDRESS_RECORD, from: `sim://${this.#ctx.name}/${old}`, to: own });
    return {
      address: own,
      close: async () => {
        this.#accept = undefined;
        for (const connection of [...this.#connections.values()]) if (connection.accepted) connection.close();
      },
    };
  }

  async dial(address: string, options: DialOptions = {}): Promise<Connection> {
    const match = /^sim:\/\/([^/]+)\/(.+)$/.exec(address);
    if (match === null) throw badRequest(`sim transport: bad address '${address}' (want sim://<node>/<port>)`);
    const [, node, port] = match as unknown as [string, string, string];
    options.signal?.throwIfAborted();
    const conn = `${this.#ctx.name}.${this.#port}.${this.#nextConn++}`;
    const key = `dialer|${node}|${conn}`;
    const connection = new SimConnection(this.#ctx, this.#port, node, port, conn, address, false, this.#values, () =>
      this.#connections.delete(key),
    );
    this.#connections.set(key, connection);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = this.#ctx.runtime.timers.setTimeout(
          () =>
            reject(unavailable(`dial ${address}: no answer within ${this.#connectTimeoutMs} ms`, { id: 'transport' })),
          this.#connectTimeoutMs,
        );
        const onAbort = () => reject(unavailable(`dial ${address} was cancelled`, { id: 'transport' }));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const settle = (fn: () => void) => () => {
          timer.cancel();
          options.signal?.removeEventListener('abort', onAbort);
          this.#dialing.delete(conn);
          fn();
        };
        this.#dialing.set(conn, {
          resolve: settle(resolve),
          reject: (e) => settle(() => reject(e))(),
        });
        this.#ctx.send(node, { type: 'syn', conn, port: this.#port } satisfies Wire, {
          port,
          size: FRAME_OVERHEAD_BYTES,
        });
      });
    } catch (error) {
      this.#dialing.delete(conn);
      connection.forget();
      throw error;
    }
    return connection;
  }

  /** Answer what arrives on a port of an earlier address with a refusal (the address is dead). */
  retire(port: string): void {
    this.#retired.push(port);
    const reason = `sim://${this.#ctx.name}/${port} is gone (the node moved to a new address)`;
    this.#ctx.on(port, ({ from, payload }) => {
      const wire = payload as Wire;
      if (wire.type === 'syn') this.#reply(from, wire.port, { type: 'rst', conn: wire.conn, reason });
      else if (wire.type === 'frame' && wire.side === 'acceptor')
        this.#reply(from, wire.port, { type: 'rst', conn: wire.conn, reason });
      else if (wire.type === 'frame')
        this.#reply(from, wire.port, { type: 'fin', conn: wire.conn, side: 'acceptor', reason });
    });
  }

  #receive(from: string, wire: Wire): void {
    if (wire.type === 'frame') {
      // The hot path: one lookup by the key the sender made once, no string built per frame.
      const connection = this.#connections.get(wire.key);
      if (connection !== undefined) connection.deliver(wire.seq, wire.frame);
      else this.#unknownConnection(from, wire);
      return;
    }
    const side: Side = wire.type === 'syn' ? 'acceptor' : wire.type === 'fin' ? wire.side : 'dialer';
    const key = `${side}|${from}|${wire.conn}`;
    switch (wire.type) {
      case 'syn': {
        if (this.#accept === undefined) {
          this.#reply(from, wire.port, { type: 'rst', conn: wire.conn, reason: 'nobody listens' });
          return;
        }
        if (this.#connections.has(key)) return; // a duplicated syn
        const address = `sim://${from}/${wire.port}`;
        const connection = new SimConnection(
          this.#ctx,
          this.#port,
          from,
          wire.port,
          wire.conn,
          address,
          true,
          this.#values,
          () => this.#connections.delete(key),
        );
        this.#connections.set(key, connection);
        this.#reply(from, wire.port, { type: 'syn-ack', conn: wire.conn });
        this.#accept(connection);
        return;
      }
      case 'syn-ack':
        this.#dialing.get(wire.conn)?.resolve();
        return;
      case 'rst': {
        const dial = this.#dialing.get(wire.conn);
        if (dial !== undefined)
          dial.reject(unavailable(`${from} refused the connection: ${wire.reason}`, { id: 'transport' }));
        else this.#connections.get(key)?.peerClosed(`connection reset by ${from}: ${wire.reason}`);
        return;
      }
      case 'fin':
        this.#connections.get(key)?.peerClosed(wire.reason);
        return;
      default: {
        const never: never = wire;
        throw badRequest(`sim transport: unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** A frame for a connection this incarnation never had (the node restarted, or it closed): reset it. */
  #unknownConnection(from: string, wire: Wire & { readonly type: 'frame' }): void {
    const peerSide: Side = wire.side === 'dialer' ? 'acceptor' : 'dialer';
    if (peerSide === 'dialer')
      this.#reply(from, wire.port, { type: 'rst', conn: wire.conn, reason: 'unknown connection' });
    else this.#reply(from, wire.port, { type: 'fin', conn: wire.conn, side: peerSide, reason: 'unknown connection' });
  }

  #reply(to: string, port: string, wire: Wire): void {
    this.#ctx.send(to, wire, { port, size: FRAME_OVERHEAD_BYTES });
  }
}

class SimConnection implements Connection {
  readonly remote: string;
  readonly accepted: boolean;
  readonly values: ValuePassing | undefined;
  readonly #ctx: TransportPort;
  readonly #ownPort: string;
  readonly #peer: string;
  readonly #peerPort: string;
  readonly #conn: string;
  readonly #forget: () => void;
  /** What the peer files this connection under (see `Wire`'s `key`). */
  readonly #peerKey: string;
  #closed = false;
  #sendSeq = 0;
  #lastDelivered = 0;
  #frameHandler: ((frame: Frame) => void) | undefined;
  readonly #buffered: Frame[] = [];
  readonly #closeHandlers: Array<(reason?: Error) => void> = [];

  constructor(
    ctx: TransportPort,
    ownPort: string,
    peer: string,
    peerPort: string,
    conn: string,
    remote: string,
    accepted: boolean,
    values: ValuePassing | undefined,
    forget: () => void,
  ) {
    this.values = values;
    this.#ctx = ctx;
    this.#ownPort = ownPort;
    this.#peer = peer;
    this.#peerPort = peerPort;
    this.#conn = conn;
    this.remote = remote;
    this.accepted = accepted;
    this.#forget = forget;
    this.#peerKey = `${this.#peerSide}|${ctx.name}|${conn}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get #peerSide(): Side {
    return this.accepted ? 'dialer' : 'acceptor';
  }

  send(frame: Frame): void {
    if (this.#closed) throw unavailable(`sim connection to ${this.remote} is closed`, { id: 'transport' });
    const carried = frame.carried;
    // A value crossing in place of its bytes: the receiver gets its own copy, charged the bytes
    // its encoding measured.
    const crossing =
      carried === undefined
        ? frame
        : { header: frame.header, body: frame.body, carried: { value: ownedCopy(carried.value), size: carried.size } };
    const wire: Wire = {
      type: 'frame',
      conn: this.#conn,
      side: this.#peerSide,
      port: this.#ownPort,
      seq: ++this.#sendSeq,
      frame: crossing,
      key: this.#peerKey,
    };
    const size = frameSize(frame) + (carried === undefined ? 0 : carried.size);
    this.#ctx.send(this.#peer, wire, { port: this.#peerPort, size });
  }

  onFrame(handler: (frame: Frame) => void): void {
    this.#frameHandler = handler;
    for (const frame of this.#buffered.splice(0)) handler(frame);
  }

  onClose(handler: (reason?: Error) => void): void {
    this.#closeHandlers.push(handler);
  }

  close(reason?: Error): void {
    if (this.#closed) return;
    const side = this.#peerSide;
    const fin: Wire =
      reason === undefined
        ? { type: 'fin', conn: this.#conn, side }
        : { type: 'fin', conn: this.#conn, side, reason: reason.message };
    this.#ctx.send(this.#peer, fin, { port: this.#peerPort, size: FRAME_OVERHEAD_BYTES });
    this.#shut(reason);
  }

  deliver(seq: number, frame: Frame): void {
    if (this.#closed || seq <= this.#lastDelivered) return; // duplicate, or overtaken: lost
    this.#lastDelivered = seq;
    if (this.#frameHandler === undefined) this.#buffered.push(frame);
    else this.#frameHandler(frame);
  }

  peerClosed(reason?: string): void {
    this.#shut(reason === undefined ? undefined : unavailable(reason, { id: 'transport' }));
  }

  /** Drop without telling anyone (a dial that never completed). */
  forget(): void {
    this.#closed = true;
    this.#forget();
  }

  #shut(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#forget();
    for (const handler of this.#closeHandlers.splice(0)) handler(reason);
  }
}

function frameSize(frame: Frame): number {
  const header = frame.header;
  let size = FRAME_OVERHEAD_BYTES + frame.body.length;
  for (const key in header) size += key.length + (header[key] as string).length + 2;
  return size;
}
