/**
 * `tcpTransport(options)`: the Transport contract over node:net. Frames travel length-prefixed
 * (see `wire.ts`); every `dial` to an address is a logical connection on a pooled socket, so
 * many connections — and, through the mux above, many calls and streams — share one socket.
 */
import { badRequest } from '../../micro/errors.js';
import type { Connection, DialOptions, Listener, Transport } from '../../micro/transport/types.js';
import { listenTcp } from './listener.js';
import { resolveTcpOptions, type TcpTransportConfig, type TcpTransportOptions } from './options.js';
import { DialPool } from './pool.js';
import { TlsState } from './tls.js';

export interface TcpTransport extends Transport {
  readonly name: 'tcp';
  readonly config: TcpTransportConfig;
  /** Sockets pooled for `address` on the dial side (connected or connecting). */
  pooledSockets(address: string): number;
  /** End every pooled dial-side socket (listeners close on their own); later dials fail. */
  close(): Promise<void>;
  /**
   * With `tls`: load the certificate, key and CA again (files re-read, `load` called) and use them
   * for every new handshake, on listeners and dials alike; open connections are not dropped.
   * A failed reload rejects and keeps the last good material.
   */
  reloadTls(): Promise<void>;
}

export function tcpTransport(options: TcpTransportOptions = {}): TcpTransport {
  const config = resolveTcpOptions(options);
  const tls = config.tls === undefined ? undefined : new TlsState(config.tls, config.runtime);
  const pool = new DialPool(config, tls);
  return {
    name: 'tcp',
    config,
    listen: (address: string, accept: (connection: Connection) => void): Promise<Listener> =>
      listenTcp(address, accept, config, tls),
    dial: (address: string, dialOptions?: DialOptions): Promise<Connection> => pool.dial(address, dialOptions),
    pooledSockets: (address) => pool.size(address),
    close: async () => {
      tls?.stop();
      await pool.close();
    },
    reloadTls: async () => {
      if (tls === undefined) throw badRequest('tcpTransport: reloadTls needs the tls option');
      await tls.reload();
    },
  };
}
