/**
 * Options for the TCP transport: partial and readonly in, a total validated config out.
 * Every default is exported beside its field so callers and tests can name it.
 */
import { badRequest } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';
import { DEFAULT_MAX_CONCURRENT_STREAMS } from '../../micro/transport/mux.js';
import { resolveTlsOptions, type TcpTlsConfig, type TcpTlsOptions } from './tls-options.js';

/**
 * The logger the transport reports to. Contract: each method is fire-and-forget and must not
 * throw; `fields` is a flat, JSON-safe record (remote address, reason, sizes).
 */
export interface TcpLogger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything: the transport is silent unless you pass one. */
export const SILENT_LOGGER: TcpLogger = { debug() {}, warn() {}, error() {} };

export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
export const DEFAULT_POOL_SIZE = 1;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
export const DEFAULT_KEEP_ALIVE_MS = 10_000;
/** Streams per side of one connection (HTTP/2 advises at least 100): see `Mux`. */
export { DEFAULT_MAX_CONCURRENT_STREAMS };
/** Channels (logical connections) one socket may carry at once; opens past it are refused. */
export const DEFAULT_MAX_CHANNELS_PER_SOCKET = 256;
/** Bytes queued for a socket past which it counts as full (senders wait, an acceptor stops reading). */
export const DEFAULT_MAX_WRITE_BUFFER_BYTES = 1024 * 1024;
/** An accepted socket that has sent nothing (or not finished its TLS handshake) by then is dropped. */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 10_000;
/** An accepted socket that carries no channel for this long is ended (longer than the dial side's 30 s). */
export const DEFAULT_ACCEPT_IDLE_TIMEOUT_MS = 60_000;

export interface TcpTransportOptions {
  /** Largest frame accepted or sent, in bytes after the 4-byte length prefix. Default 16 MiB. */
  readonly maxFrameBytes?: number;
  /** Sockets kept per remote address on the dial side; connections share them. Default 1. */
  readonly poolSize?: number;
  /** A dial that has not connected after this long fails UNAVAILABLE. Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** A pooled socket carrying no connection is closed after this long; 0 keeps it. Default 30 000 ms. */
  readonly idleTimeoutMs?: number;
  /** `close()` destroys sockets that have not ended gracefully after this long. Default 5 000 ms. */
  readonly closeTimeoutMs?: number;
  /** TCP keep-alive probe delay; 0 disables. Default 10 000 ms. */
  readonly keepAliveMs?: number;
  /** Disable Nagle's algorithm (frames are batched per tick already). Default true. */
  readonly noDelay?: boolean;
  /** Where rejected frames, lost sockets and handler failures are reported. Default: silent. */
  readonly logger?: TcpLogger;
  /** Timers for connect and close deadlines. Default: the live runtime. */
  readonly runtime?: Runtime;
  /** Streams each side may have open on one connection. Default 100. */
  readonly maxConcurrentStreams?: number;
  /** Channels one socket may carry at once; a peer's open past it is refused with a CLOSE. Default 256. */
  readonly maxChannelsPerSocket?: number;
  /** Queued bytes past which a socket is full: stream sends wait, an acceptor stops reading. Default 1 MiB. */
  readonly maxWriteBufferBytes?: number;
  /** Listen side: a socket silent (or mid-handshake) this long after accept is dropped. Default 10 000 ms. */
  readonly firstByteTimeoutMs?: number;
  /** Listen side: a socket carrying no channel this long is ended; 0 keeps it. Default 60 000 ms. */
  readonly acceptIdleTimeoutMs?: number;
  /** TLS (and mutual TLS) with service identities; see `tls.ts`. Default: plain TCP. */
  readonly tls?: TcpTlsOptions;
}

export interface TcpTransportConfig {
  readonly maxFrameBytes: number;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly noDelay: boolean;
  readonly logger: TcpLogger;
  readonly runtime: Runtime;
  readonly maxConcurrentStreams: number;
  readonly maxChannelsPerSocket: number;
  readonly maxWriteBufferBytes: number;
  readonly firstByteTimeoutMs: number;
  readonly acceptIdleTimeoutMs: number;
  readonly tls: TcpTlsConfig | undefined;
}

/** Validate options eagerly; a bad value throws BAD_REQUEST naming the property. */
export function resolveTcpOptions(options: TcpTransportOptions = {}): TcpTransportConfig {
  return {
    maxFrameBytes: integer(options, 'maxFrameBytes', DEFAULT_MAX_FRAME_BYTES, 16, 0xffff_ffff),
    poolSize: integer(options, 'poolSize', DEFAULT_POOL_SIZE, 1, 1024),
    connectTimeoutMs: integer(options, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS, 1, 2 ** 31 - 1),
    idleTimeoutMs: integer(options, 'idleTimeoutMs', DEFAULT_IDLE_TIMEOUT_MS, 0, 2 ** 31 - 1),
    closeTimeoutMs: integer(options, 'closeTimeoutMs', DEFAULT_CLOSE_TIMEOUT_MS, 0, 2 ** 31 - 1),
    keepAliveMs: integer(options, 'keepAliveMs', DEFAULT_KEEP_ALIVE_MS, 0, 2 ** 31 - 1),
    noDelay: options.noDelay ?? true,
    logger: options.logger ?? SILENT_LOGGER,
    runtime: options.runtime ?? liveRuntime,
    maxConcurrentStreams: integer(options, 'maxConcurrentStreams', DEFAULT_MAX_CONCURRENT_STREAMS, 1, 2 ** 31 - 1),
    maxChannelsPerSocket: integer(options, 'maxChannelsPerSocket', DEFAULT_MAX_CHANNELS_PER_SOCKET, 1, 2 ** 31 - 1),
    maxWriteBufferBytes: integer(options, 'maxWriteBufferBytes', DEFAULT_MAX_WRITE_BUFFER_BYTES, 1024, 2 ** 31 - 1),
    firstByteTimeoutMs: integer(options, 'firstByteTimeoutMs', DEFAULT_FIRST_BYTE_TIMEOUT_MS, 1, 2 ** 31 - 1),
    acceptIdleTimeoutMs: integer(options, 'acceptIdleTimeoutMs', DEFAULT_ACCEPT_IDLE_TIMEOUT_MS, 0, 2 ** 31 - 1),
    tls: options.tls === undefined ? undefined : resolveTlsOptions(options.tls),
  };
}

type IntegerOption =
  | 'maxFrameBytes'
  | 'poolSize'
  | 'connectTimeoutMs'
  | 'idleTimeoutMs'
  | 'closeTimeoutMs'
  | 'keepAliveMs'
  | 'maxConcurrentStreams'
  | 'maxChannelsPerSocket'
  | 'maxWriteBufferBytes'
  | 'firstByteTimeoutMs'
  | 'acceptIdleTimeoutMs';

function integer(options: TcpTransportOptions, name: IntegerOption, fallback: number, min: number, max: number) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`tcpTransport: option ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}
