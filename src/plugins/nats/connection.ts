/**
 * One NATS connection for a plugin: options in, a connected client out, and failures mapped to
 * MicroErrors (a refused or dropped connection is a retryable UNAVAILABLE).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { badRequest, isMicroError, type MicroError, unavailable } from '../../micro/errors.js';

export interface NatsOptions {
  /** Server URL(s). Default: {@link DEFAULT_NATS_URL}, or `MICROCOSM_NATS_URL` when set. */
  readonly url?: string;
  /** Subject prefix, so several instances share a server. Default: {@link DEFAULT_NATS_PREFIX}. */
  readonly prefix?: string;
  /** Connection name shown by the server. Default: 'microcosm'. */
  readonly name?: string;
}

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_NATS_PREFIX = 'microcosm';

export interface NatsConfig {
  readonly url: string;
  readonly prefix: string;
  readonly name: string;
}

export function resolveNatsOptions(options: NatsOptions = {}): NatsConfig {
  const url = options.url ?? process.env.MICROCOSM_NATS_URL ?? DEFAULT_NATS_URL;
  const prefix = options.prefix ?? DEFAULT_NATS_PREFIX;
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix))
    throw badRequest(
      `nats: prefix must be dot-separated tokens of letters, digits, "_" and "-", got ${JSON.stringify(prefix)}`,
    );
  return { url, prefix, name: options.name ?? 'microcosm' };
}

/** Connect lazily: the first operation waits for the connection; a refusal rejects it as UNAVAILABLE. */
export function lazyConnection(config: NatsConfig): () => Promise<NatsConnection> {
  let connection: Promise<NatsConnection> | undefined;
  return () => {
    connection ??= connect({ servers: config.url, name: config.name, maxReconnectAttempts: 10 }).catch(
      (error: unknown) => {
        connection = undefined;
        throw natsError(`connect to ${config.url}`, error);
      },
    );
    return connection;
  };
}

/** A NATS client error as a MicroError naming the operation. */
export function natsError(operation: string, error: unknown): MicroError {
  if (isMicroError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return unavailable(`nats ${operation}: ${message}`, { id: 'nats', cause: error });
}

/** Run a NATS operation, mapping its failures. */
export async function attempt<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw natsError(operation, error);
  }
}
