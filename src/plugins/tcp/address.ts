/**
 * TCP addresses are written `host:port`, with IPv6 hosts in brackets (`[::1]:8080`).
 * Port 0 asks the operating system for a free port when listening.
 */
import { badRequest } from '../../micro/errors.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parse `host:port`; anything else throws BAD_REQUEST quoting the bad address. */
export function parseAddress(address: string): HostPort {
  const colon = address.lastIndexOf(':');
  const rawHost = colon > 0 ? address.slice(0, colon) : '';
  const rawPort = address.slice(colon + 1);
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
  if (host === '' || !(port >= 0 && port <= 65_535)) {
    throw badRequest(`tcp address must look like host:port (e.g. 127.0.0.1:0), got ${JSON.stringify(address)}`);
  }
  return { host, port };
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
