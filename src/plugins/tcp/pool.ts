/**
 * The dialing side: a pool of sockets per remote address, each carrying many connections.
 *
 * Contract: `dial(address)` opens a new logical connection on a pooled socket, connecting a
 * new socket while the address has fewer than `poolSize` and every existing one is in use,
 * otherwise reusing the least loaded. Concurrent dials share an in-flight connect. A socket
 * that closes leaves the pool, so the next dial reconnects; one that carries no connection
 * for `idleTimeoutMs` is ended, and while idle it does not keep the process alive. A refused or timed-out connect rejects every waiting dial
 * with a retryable UNAVAILABLE error naming the address; an aborted dial rejects CANCELLED.
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { cancelled, MicroError, unavailable } from '../../micro/errors.js';
import type { Connection, DialOptions } from '../../micro/transport/types.js';
import { parseAddress } from './address.js';
import type { TcpTransportConfig } from './options.js';
import { Session } from './session.js';
import { serviceOf, type TlsState } from './tls.js';

interface PoolEntry {
  readonly ready: Promise<Session>;
  session: Session | undefined;
  /** Dials waiting for this socket (its open connections are counted by the session). */
  load: number;
  idle: { cancel(): void } | undefined;
}

export class DialPool {
  private readonly entries = new Map<string, PoolEntry[]>();
  private closing = false;

  constructor(
    private readonly config: TcpTransportConfig,
    private readonly tls?: TlsState,
  ) {}

  async dial(address: string, options: DialOptions = {}): Promise<Connection> {
    parseAddress(address);
    if (this.closing) throw unavailable('tcp transport is closed', { id: 'transport' });
    const { signal } = options;
    if (signal?.aborted) throw cancelled(`tcp dial ${address} aborted`, { id: 'transport', cause: signal.reason });
    const entry = this.pick(address);
    entry.load++;
    entry.idle?.cancel();
    entry.idle = undefined;
    try {
      const session = await abortable(entry.ready, signal, address);
      return session.openChannel();
    } finally {
      entry.load--;
    }
  }

  /** How many sockets are pooled for `address` (connected or connecting). */
  size(address: string): number {
    return this.entries.get(address)?.length ?? 0;
  }

  /** End every pooled socket; later dials fail. */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.entries.values()].flat();
    this.entries.clear();
    await Promise.all(
      all.map(async (entry) => {
        entry.idle?.cancel();
        const session = await entry.ready.catch(() => undefined);
        await session?.end(unavailable('tcp transport is closing', { id: 'transport' }));
      }),
    );
  }

  private pick(address: string): PoolEntry {
    const entries = this.entries.get(address) ?? [];
    this.entries.set(address, entries);
    const usable = entries.filter((e) => e.session === undefined || e.session.isOpen);
    let best: PoolEntry | undefined;
    for (const entry of usable) if (best === undefined || busy(entry) < busy(best)) best = entry;
    if (best !== undefined && (busy(best) === 0 || usable.length >= this.config.poolSize)) return best;
    return this.open(address, entries);
  }

  private open(address: string, entries: PoolEntry[]): PoolEntry {
    const remove = () => {
      const at = entries.indexOf(entry);
      if (at >= 0) entries.splice(at, 1);
      entry.idle?.cancel();
    };
    const connecting = this.connect(address, {
      channelClosed: (session) => this.maybeIdle(entry, session),
      closed: remove,
    });
    const entry: PoolEntry = {
      ready: connecting.then(
        (session) => (entry.session = session),
        (error: unknown) => {
          remove();
          throw error;
        },
      ),
      session: undefined,
      load: 0,
      idle: undefined,
    };
    entries.push(entry);
    return entry;
  }

  private maybeIdle(entry: PoolEntry, session: Session): void {
    if (session.channelCount > 0 || entry.load > 0) return;
    entry.idle?.cancel();
    entry.idle = undefined;
    // An idle pooled socket must not keep the process alive: neither it nor its timer is ref'd.
    session.setKeepsProcessAlive(false);
    if (this.config.idleTimeoutMs === 0) return;
    const timer = setTimeout(() => {
      if (session.channelCount === 0 && entry.load === 0) void session.end();
    }, this.config.idleTimeoutMs).unref();
    entry.idle = { cancel: () => clearTimeout(timer) };
  }

  private async connect(address: string, hooks: ConstructorParameters<typeof Session>[4]): Promise<Session> {
    const { host, port } = parseAddress(address);
    const tls = this.tls;
    const context = tls === undefined ? undefined : (await tls.current()).context;
    return new Promise((resolve, reject) => {
      let socket: Socket;
      let refusal: MicroError | undefined;
      if (tls === undefined || context === undefined) socket = connect({ host, port, noDelay: this.config.noDelay });
      else {
        socket = connectTls({
          host,
          port,
          secureContext: context,
          rejectUnauthorized: true,
          // The server's identity is the service its certificate names, not a host name.
          checkServerIdentity: (_host, cert) => {
            const service = serviceOf(cert);
            if (tls.config.allows(service, address)) return undefined;
            refusal = new MicroError(
              'UNAUTHORIZED',
              `tls dial ${address}: the server's certificate names service '${service ?? '(none)'}', not one of ${tls.config.describePeers}`,
              { id: 'transport', retryable: false },
            );
            return refusal;
          },
        });
      }
      const timer = this.config.runtime.timers.setTimeout(() => {
        socket.destroy();
        reject(
          unavailable(`tcp dial ${address}: no connection after ${this.config.connectTimeoutMs} ms`, {
            id: 'transport',
          }),
        );
      }, this.config.connectTimeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        timer.cancel();
        if (refusal !== undefined) return reject(refusal);
        if (tls !== undefined && isTlsRefusal(err)) {
          return reject(
            new MicroError('UNAUTHORIZED', `tls dial ${address}: ${err.code ?? ''} ${err.message}`.trim(), {
              id: 'transport',
              retryable: false,
              cause: err,
            }),
          );
        }
        const why = err.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there)' : err.message;
        reject(unavailable(`tcp dial ${address}: ${why}`, { id: 'transport', cause: err }));
      });
      socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
        timer.cancel();
        const peer = tls === undefined ? undefined : serviceOf((socket as TLSSocket).getPeerCertificate());
        resolve(new Session(socket, 'dialer', address, this.config, hooks, peer));
      });
    });
  }
}

/** A handshake the other side or the certificates refused (as opposed to a network failure). */
function isTlsRefusal(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code.startsWith('UNABLE_TO') ||
    code.startsWith('DEPTH_ZERO') ||
    code.startsWith('SELF_SIGNED')
  );
}

/** Connections open on the entry's socket plus dials waiting for it. */
const busy = (entry: PoolEntry) => entry.load + (entry.session?.channelCount ?? 0);

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, address: string): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled(`tcp dial ${address} aborted`, { id: 'transport', cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
