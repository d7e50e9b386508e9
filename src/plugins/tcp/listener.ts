/**
 * The accepting side: a node:net server whose sockets become sessions; every channel a
 * dialer opens is handed to `accept` as a Connection.
 *
 * Contract: `address` is the real bound address (port 0 picks a free one). `close()` is
 * idempotent: it stops accepting at once, closes every open connection with an UNAVAILABLE
 * reason (queued behind frames already sent), ends the sockets, and resolves when they are
 * all gone (sockets that linger past `closeTimeoutMs` are destroyed).
 */
import { createServer } from 'node:net';
import { unavailable } from '../../micro/errors.js';
import type { Connection, Listener } from '../../micro/transport/types.js';
import { formatAddress, parseAddress } from './address.js';
import type { TcpTransportConfig } from './options.js';
import { Session } from './session.js';

export async function listenTcp(
  address: string,
  accept: (connection: Connection) => void,
  config: TcpTransportConfig,
): Promise<Listener> {
  const { host, port } = parseAddress(address);
  const sessions = new Set<Session>();
  const server = createServer({ noDelay: config.noDelay }, (socket) => {
    const remote = formatAddress(socket.remoteAddress ?? 'unknown', socket.remotePort ?? 0);
    const session = new Session(socket, 'acceptor', remote, config, {
      accept,
      closed: (s) => sessions.delete(s),
    });
    sessions.add(session);
  });

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
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const reason = unavailable(`tcp listener ${actual} is closing`, { id: 'transport' });
        await Promise.all([...sessions].map((session) => session.end(reason)));
        await stopped;
      })();
      return closing;
    },
  };
}
