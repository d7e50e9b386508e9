/**
 * One NATS connection for a plugin: options in, a connected client out, and failures mapped to
 * MicroErrors (a refused or dropped connection is a retryable UNAVAILABLE).
 */

import type { NatsConnection } from '@nats-io/transport-node';
import { badRequest, type MicroError, unavailable } from '../../micro/errors.js';
import { attemptOn, backendError } from '../errors.js';
import { connect } from './client.js';

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

/**
 * A lazily opened connection: calling it waits for the connection (a refusal rejects as
 * UNAVAILABLE and the next call tries again).
 */
export interface LazyConnection {
  (): Promise<NatsConnection>;
  /**
   * Run `work` (a request on this connection) but reject with a retryable UNAVAILABLE as soon as
   * the socket drops: the client reconnects by itself, yet a request written to the dead socket
   * would only fail at its timeout (5 s), as a bare "timeout". While the client is reconnecting
   * it rejects at once too (what the client queues then is dropped when it reconnects). Other
   * failures pass through as is.
   */
  guard<T>(work: () => Promise<T>): Promise<T>;
}

export function lazyConnection(config: NatsConfig): LazyConnection {
  let connection: Promise<NatsConnection> | undefined;
  const onDrop = new Set<(error: MicroError) => void>();
  const lost = () => unavailable(`nats: connection to ${config.url} lost (reconnecting)`, { id: 'nats' });
  let reconnecting = false;
  const watch = async (nc: NatsConnection) => {
    for await (const status of nc.status()) {
      if (status.type === 'reconnect') reconnecting = false;
      if (status.type !== 'disconnect') continue;
      reconnecting = true;
      const error = lost();
      for (const fail of [...onDrop]) fail(error);
    }
  };
  const open = () => {
    connection ??= connect({ servers: config.url, name: config.name, maxReconnectAttempts: 10 }).then(
      (nc) => {
        void watch(nc).catch(() => undefined);
        return nc;
      },
      (error: unknown) => {
        connection = undefined;
        throw natsError(`connect to ${config.url}`, error);
      },
    );
    return connection;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    if (reconnecting) throw lost();
    let fail: (error: MicroError) => void = () => {};
    const dropped = new Promise<never>((_, reject) => {
      fail = reject;
    });
    onDrop.add(fail);
    try {
      return await Promise.race([work(), dropped]);
    } finally {
      onDrop.delete(fail);
    }
  };
  return Object.assign(open, { guard });
}

/** A NATS client error as a MicroError naming the operation. */
export const natsError = (operation: string, error: unknown): MicroError => backendError('nats', operation, error);

/** Run a NATS operation, mapping its failures. */
export const attempt = <T>(operation: string, work: () => Promise<T>): Promise<T> => attemptOn('nats', operation, work);
