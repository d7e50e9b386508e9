/**
 * `tcpTransport(options)`: the Transport contract over node:net. Frames travel length-prefixed
 * (see `wire.ts`); every `dial` to an address is a logical connection on a pooled socket, so
 * many connections — and, through the mux above, many calls and streams — share one socket.
 */
import type { Connection, DialOptions, Listener, Transport } from '../../micro/transport/types.js';
import { listenTcp } from './listener.js';
import { resolveTcpOptions, type TcpTransportConfig, type TcpTransportOptions } from './options.js';
import { DialPool } from './pool.js';

export interface TcpTransport extends Transport {
  readonly name: 'tcp';
  readonly config: TcpTransportConfig;
  /** Sockets pooled for `address` on the dial side (connected or connecting). */
  pooledSockets(address: string): number;
  /** End every pooled dial-side socket (listeners close on their own); later dials fail. */
  close(): Promise<void>;
}

export function tcpTransport(options: TcpTransportOptions = {}): TcpTransport {
  const config = resolveTcpOptions(options);
  const pool = new DialPool(config);
  return {
    name: 'tcp',
    config,
    listen: (address: string, accept: (connection: Connection) => void): Promise<Listener> =>
      listenTcp(address, accept, config),
    dial: (address: string, dialOptions?: DialOptions): Promise<Connection> => pool.dial(address, dialOptions),
    pooledSockets: (address) => pool.size(address),
    close: () => pool.close(),
  };
}
