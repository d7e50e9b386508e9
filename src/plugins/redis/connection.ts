/**
 * Redis connections for every Redis plugin: one options shape, one way to connect, one error
 * mapping.
 *
 * Connections fail fast: a command in flight when the socket drops, or issued while the client
 * is reconnecting, rejects at once with a retryable UNAVAILABLE {@link MicroError} instead of
 * being silently re-sent after reconnect (ioredis' default), because a re-sent non-idempotent
 * write could apply twice. The client keeps reconnecting in the background, so the caller's
 * retry succeeds as soon as the server is back. A rejected write may or may not have applied;
 * an acknowledged one has.
 */
import type { Redis } from 'ioredis';
import { badRequest, isMicroError, MicroError } from '../../micro/errors.js';
import { loadPeer } from '../../micro/peer.js';

const ioredis = await loadPeer('ioredis', 'redis', () => import('ioredis'));

export interface RedisOptions {
  /** Where the server listens. Default: {@link DEFAULT_REDIS_URL}. Ignored when `client` is given. */
  readonly url?: string;
  /** Use this connection instead of opening one; the plugin then never closes it. Default: none. */
  readonly client?: Redis;
  /** Prepended (with `:`) to every key the plugin writes. Default: {@link DEFAULT_REDIS_PREFIX}. */
  readonly prefix?: string;
  /**
   * A command with no reply after this long rejects with TIMEOUT; 0 = no per-command timer (a
   * dropped connection is still noticed by its socket). The timer costs CPU on every command.
   * Default: {@link DEFAULT_REDIS_COMMAND_TIMEOUT_MS} (off).
   */
  readonly commandTimeoutMs?: number;
  /** CLIENT SETNAME of the plugin's connections, as `CLIENT LIST` shows them. Default: {@link DEFAULT_REDIS_CONNECTION_NAME}. */
  readonly connectionName?: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_REDIS_PREFIX = 'microcosm';
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 0;
export const DEFAULT_REDIS_CONNECTION_NAME = 'microcosm';

export interface RedisConfig {
  readonly url: string;
  readonly client: Redis | undefined;
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  readonly connectionName: string;
}

export function resolveRedisOptions(options: RedisOptions = {}): RedisConfig {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (prefix === '' || /[\s*?[\]]/.test(prefix))
    throw badRequest(
      `redis: prefix must be non-empty without spaces or glob characters, got ${JSON.stringify(prefix)}`,
    );
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
  if (!(commandTimeoutMs >= 0 && Number.isFinite(commandTimeoutMs)))
    throw badRequest(`redis: commandTimeoutMs must be a finite number ≥ 0, got ${commandTimeoutMs}`);
  const url = options.url ?? DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(url)) throw badRequest(`redis: url must start with redis:// or rediss://, got ${url}`);
  const connectionName = options.connectionName ?? DEFAULT_REDIS_CONNECTION_NAME;
  if (!/^[!-~]+$/.test(connectionName))
    throw badRequest(
      `redis: connectionName must be printable ASCII without spaces, got ${JSON.stringify(connectionName)}`,
    );
  return { url, client: options.client, prefix, commandTimeoutMs, connectionName };
}

/** A connection a plugin may own (and must then close) or borrow. */
export interface RedisHandle {
  readonly redis: Redis;
  /** Open another connection to the same server (for blocking reads and subscriptions). */
  duplicate(): Redis;
  /** Close the connection if this handle opened it. */
  close(): Promise<void>;
}

export function openRedis(config: RedisConfig): RedisHandle {
  const owned = config.client === undefined;
  const redis =
    config.client ??
    new ioredis.Redis(config.url, {
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      ...(config.commandTimeoutMs > 0 ? { commandTimeout: config.commandTimeoutMs } : {}),
      connectionName: config.connectionName,
      retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    });
  // A dropped connection surfaces as rejected commands; keep ioredis from logging it as unhandled.
  if (owned) redis.on('error', () => {});
  return {
    redis,
    duplicate: () => {
      const copy = redis.duplicate({ maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false });
      copy.on('error', () => {});
      return copy;
    },
    close: async () => {
      if (owned) await quit(redis);
    },
  };
}

/** Close a connection politely, or abruptly if the server is not answering. */
export async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

const SERVER_BUSY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|READONLY|MASTERDOWN)\b/;

/** Translate whatever ioredis threw into a MicroError saying whether a retry may help. */
export function redisError(error: unknown, operation: string): MicroError {
  if (isMicroError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (message === 'Command timed out')
    return new MicroError('TIMEOUT', `redis ${operation}: no reply in time`, { id: 'redis', cause: error });
  if (name === 'ReplyError' && !SERVER_BUSY.test(message))
    return new MicroError('INTERNAL', `redis ${operation}: ${message}`, {
      id: 'redis',
      cause: error,
      retryable: false,
    });
  return new MicroError('UNAVAILABLE', `redis ${operation}: ${message}`, { id: 'redis', cause: error });
}

/** Run one Redis operation, rethrowing failures as MicroErrors (a plain `.catch`: no extra async frame on the hot path). */
export function attempt<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return run().catch((error: unknown) => {
      throw redisError(error, operation);
    });
  } catch (error) {
    return Promise.reject(redisError(error, operation));
  }
}
