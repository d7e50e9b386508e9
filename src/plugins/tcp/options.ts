/**
 * Options for the TCP transport: partial and readonly in, a total validated config out.
 * Every default is exported beside its field so callers and tests can name it.
 */
import { badRequest } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';

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
  };
}

type IntegerOption =
  | 'maxFrameBytes'
  | 'poolSize'
  | 'connectTimeoutMs'
  | 'idleTimeoutMs'
  | 'closeTimeoutMs'
  | 'keepAliveMs';

function integer(options: TcpTransportOptions, name: IntegerOption, fallback: number, min: number, max: number) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`tcpTransport: option ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}
