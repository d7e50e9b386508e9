/**
 * TLS options for the TCP transport: every service has an identity — a certificate whose subject
 * CN names the service, signed by a CA both sides trust — and each side checks the other's name.
 * The dial side accepts only servers whose certificate names one of `peers`; the listen side
 * (mutual TLS, the default) only clients whose certificate does. Material comes as PEM, as files
 * (re-read on every reload) or from a callback, and reloads without dropping connections.
 */
import { badRequest } from '../../micro/errors.js';

export type Pem = string | Buffer;

/** PEM in memory, or a file holding it (read at start and on every reload). */
export type TlsSource = Pem | { readonly file: string };

/** What a side presents and trusts. */
export interface TlsMaterial {
  /** This service's certificate chain (PEM); its subject CN is the service's name. */
  readonly cert: Pem;
  readonly key: Pem;
  /** CA certificates that sign the peers' identities (PEM, several concatenated allowed). */
  readonly ca: Pem;
}

/** Which peer names to accept: a list, or a predicate over the name and the peer's address. */
export type PeerPolicy = readonly string[] | ((service: string, address: string) => boolean);

export interface TcpTlsOptions {
  /** This service's certificate. Required unless `load` is given. */
  readonly cert?: TlsSource;
  /** Its private key. Required unless `load` is given. */
  readonly key?: TlsSource;
  /** The CA that signs peers. Required unless `load` is given. */
  readonly ca?: TlsSource;
  /** Instead of cert/key/ca: a callback returning all three, called at start and on every reload. */
  readonly load?: () => TlsMaterial | Promise<TlsMaterial>;
  /** Service names accepted from the other side (dial: the server's; listen: the client's). Required. */
  readonly peers: PeerPolicy;
  /** Listen side: demand and check a client certificate (mutual TLS). Default true. */
  readonly requireClientCert?: boolean;
  /** Re-read the material this often, in ms; 0 reloads only on `reloadTls()`. Default 0. */
  readonly reloadIntervalMs?: number;
}

export interface TcpTlsConfig {
  readonly load: () => Promise<TlsMaterial>;
  readonly allows: (service: string | undefined, address: string) => boolean;
  readonly describePeers: string;
  readonly requireClientCert: boolean;
  readonly reloadIntervalMs: number;
}

export function resolveTlsOptions(options: TcpTlsOptions): TcpTlsConfig {
  const { peers } = options;
  if (typeof peers !== 'function' && !(Array.isArray(peers) && peers.every((p) => typeof p === 'string' && p !== ''))) {
    throw badRequest('tcpTransport: option tls.peers must be a list of service names or a function');
  }
  const reloadIntervalMs = options.reloadIntervalMs ?? 0;
  if (!Number.isInteger(reloadIntervalMs) || reloadIntervalMs < 0) {
    throw badRequest(`tcpTransport: option tls.reloadIntervalMs must be an integer >= 0, got ${reloadIntervalMs}`);
  }
  let load: () => Promise<TlsMaterial>;
  if (options.load !== undefined) {
    const given = options.load;
    load = async () => given();
  } else {
    const missing = (['cert', 'key', 'ca'] as const).filter((name) => options[name] === undefined);
    if (missing.length > 0) {
      throw badRequest(`tcpTransport: option tls needs ${missing.map((m) => `tls.${m}`).join(', ')} (or tls.load)`);
    }
    const { cert, key, ca } = options as Required<Pick<TcpTlsOptions, 'cert' | 'key' | 'ca'>>;
    load = async () => ({ cert: await read(cert), key: await read(key), ca: await read(ca) });
  }
  const allows =
    typeof peers === 'function'
      ? (service: string | undefined, address: string) => service !== undefined && peers(service, address)
      : (service: string | undefined) => service !== undefined && peers.includes(service);
  return {
    load,
    allows,
    describePeers: typeof peers === 'function' ? 'the tls.peers policy' : peers.join(', '),
    requireClientCert: options.requireClientCert ?? true,
    reloadIntervalMs,
  };
}

async function read(source: TlsSource): Promise<Pem> {
  if (typeof source === 'string' || Buffer.isBuffer(source)) return source;
  const { readFile } = await import('node:fs/promises');
  return readFile(source.file);
}
