/**
 * The accepting side: a node:net server whose sockets become sessions; every channel a
 * dialer opens is handed to `accept` as a Connection.
 *
 * Contract: `address` is the real bound address (port 0 picks a free one). `close()` is
 * idempotent: it stops accepting at once, closes every open connection with an UNAVAILABLE
 * reason (queued behind frames already sent), ends the sockets, and resolves when they are
 * all gone (sockets that linger past `closeTimeoutMs` are destroyed).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { unavailable } from '../../micro/errors.js';
import type { Connection, Listener } from '../../micro/transport/types.js';
import { formatAddress, parseAddress } from './address.js';
import type { TcpTransportConfig } from './options.js';
import { Session } from './session.js';
import { serviceOf, type TlsState } from './tls.js';

export async function listenTcp(
  address: string,
  accept: (connection: Connection) => void,
  config: TcpTransportConfig,
  tls?: TlsState,
): Promise<Listener> {
  const { host, port } = parseAddress(address);
  const sessions = new Set<Session>();
  const start = (socket: Socket, peerService?: string) => {
    const remote = formatAddress(socket.remoteAddress ?? 'unknown', socket.remotePort ?? 0);
    const hooks = { accept, closed: (s: Session) => sessions.delete(s) };
    sessions.add(new Session(socket, 'acceptor', remote, config, hooks, peerService));
  };
  let server: Server;
  let unsubscribe = () => {};
  if (tls === undefined) server = createServer({ noDelay: config.noDelay }, (socket) => start(socket));
  else {
    const { material } = await tls.current();
    const secure = createTlsServer({
      ...material,
      requestCert: tls.config.requireClientCert,
      rejectUnauthorized: tls.config.requireClientCert,
      handshakeTimeout: config.firstByteTimeoutMs,
      noDelay: config.noDelay,
    });
    secure.on('secureConnection', (socket: TLSSocket) => {
      const remote = formatAddress(socket.remoteAddress ?? 'unknown', socket.remotePort ?? 0);
      const service = serviceOf(socket.getPeerCertificate());
      if (tls.config.requireClientCert && !tls.config.allows(service, remote)) {
        config.logger.warn('tcp: refusing a tls client whose service is not allowed', {
          remote,
          service: service ?? '(none)',
          allowed: tls.config.describePeers,
        });
        socket.destroy();
        return;
      }
      start(socket, service);
    });
    secure.on('tlsClientError', (err, socket) => {
      config.logger.warn('tcp: tls handshake failed', {
        remote: socket.remoteAddress ?? 'unknown',
        error: err.message,
      });
    });
    // New handshakes use reloaded material; sockets already open keep theirs.
    unsubscribe = tls.subscribe((material) => secure.setSecureContext(material));
    server = secure;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        unavailable(`tcp listen on ${address} failed: ${err.code ?? err.message}`, { id: 'transport', cause: err }),
      ),
    );
    server.listen({ host, port }, resolve);
  });
  server.on('error', (err) => config.logger.error('tcp: listener error', { address, error: String(err) }));

  const bound = server.address();
  const actual = typeof bound === 'object' && bound !== null ? formatAddress(bound.address, bound.port) : address;
  let closing: Promise<void> | undefined;

  return {
    address: actual,
    close() {
      closing ??= (async () => {
        unsubscribe();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const reason = unavailable(`tcp listener ${actual} is closing`, { id: 'transport' });
        await Promise.all([...sessions].map((session) => session.end(reason)));
        await stopped;
      })();
      return closing;
    },
  };
}
