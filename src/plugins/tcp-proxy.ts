/**
 * A TCP proxy for the plugins' fault tests (test code only): the client connects to the proxy,
 * the proxy to the real server, and the test cuts the link (every open connection is reset and
 * new ones are refused, as a network partition looks to the client) and later restores it.
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';

export interface TcpProxy {
  /** The loopback port the client should connect to. */
  readonly port: number;
  /** Connections accepted and forwarded since the proxy started (refused ones do not count). */
  readonly connections: number;
  /** Connections refused while cut. */
  readonly refused: number;
  /** Reset every open connection (both sides) and refuse new ones until {@link restore}. */
  cut(): void;
  /** Forward new connections again. */
  restore(): void;
  /** Stop listening and reset whatever is still open. */
  close(): Promise<void>;
}

/** Start a proxy on an ephemeral loopback port that forwards to `target`. */
export async function tcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let forwarded = 0;
  let refused = 0;
  let refusing = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {}); // a reset is what the test asked for
  };
  const server = createServer((client) => {
    track(client);
    if (refusing) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    forwarded += 1;
    const upstream = tcpConnect({ host: target.host, port: target.port });
    track(upstream);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    const resetBoth = () => {
      if (!client.destroyed) client.resetAndDestroy();
      if (!upstream.destroyed) upstream.resetAndDestroy();
    };
    client.on('close', resetBoth);
    upstream.on('close', resetBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcpProxy: no port assigned');
  const cut = () => {
    refusing = true;
    for (const socket of [...open]) if (!socket.destroyed) socket.resetAndDestroy();
  };
  return {
    port: address.port,
    get connections() {
      return forwarded;
    },
    get refused() {
      return refused;
    },
    cut,
    restore() {
      refusing = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `url` with its host and port replaced by the proxy's (`amqp://u:p@host:5672/v` → `…@127.0.0.1:<proxy>/v`). */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/** The host and port a backend URL points at (the default port when the URL names none). */
export function targetOf(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port === '' ? defaultPort : Number(parsed.port) };
}
