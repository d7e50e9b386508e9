/**
 * One NATS connection for a plugin: options in, a connected client out, and failures mapped to
 * MicroErrors (a refused or dropped connection is a retryable UNAVAILABLE).
 *
 * A dropped connection is recovered by the client itself, by default for as long as it takes
 * (`reconnect.maxAttempts`: Infinity, the client's `maxReconnectAttempts: -1`), one attempt every
 * `reconnect.waitMs` (+ the client's jitter, up to 100 ms). The client resends every core
 * subscription when it is back, so broker subscriptions resume by themselves; JetStream pulls
 * are re-issued by the events consumer (see natsEvents). The wait is the client's own timer, not
 * the Runtime's: the NATS client is real I/O and never runs inside a simulation. When the client
 * gives up, the connection is closed for good and every later call fails with UNAVAILABLE (a
 * plugin caches clients bound to it: make a new instance).
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
  /** Recovering a dropped connection. Default: {@link DEFAULT_NATS_RECONNECT}. */
  readonly reconnect?: NatsReconnectOptions;
}

export interface NatsReconnectOptions {
  /** Failed reconnect attempts after which the client gives up. Default: Infinity (never). */
  readonly maxAttempts?: number;
  /** Wait between two attempts at the same server, in ms (the client adds up to 100 ms of jitter). Default: 2_000. */
  readonly waitMs?: number;
}

export const DEFAULT_NATS_RECONNECT = { maxAttempts: Number.POSITIVE_INFINITY, waitMs: 2_000 } as const;

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_NATS_PREFIX = 'microcosm';

export interface NatsConfig {
  readonly url: string;
  readonly prefix: string;
  readonly name: string;
  readonly reconnect: Required<NatsReconnectOptions>;
}

export function resolveNatsOptions(options: NatsOptions = {}): NatsConfig {
  const url = options.url ?? process.env.MICROCOSM_NATS_URL ?? DEFAULT_NATS_URL;
  const prefix = options.prefix ?? DEFAULT_NATS_PREFIX;
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix))
    throw badRequest(
      `nats: prefix must be dot-separated tokens of letters, digits, "_" and "-", got ${JSON.stringify(prefix)}`,
    );
  const { maxAttempts, waitMs } = { ...DEFAULT_NATS_RECONNECT, ...options.reconnect };
  if (!(Number.isSafeInteger(maxAttempts) || maxAttempts === Number.POSITIVE_INFINITY) || maxAttempts < 0)
    throw badRequest(`nats: reconnect.maxAttempts must be an integer ≥ 0 or Infinity, got ${maxAttempts}`);
  if (!Number.isFinite(waitMs) || waitMs < 0)
    throw badRequest(`nats: reconnect.waitMs must be a number of ms ≥ 0, got ${waitMs}`);
  return { url, prefix, name: options.name ?? 'microcosm', reconnect: { maxAttempts, waitMs } };
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
  /**
   * Close the connection if one was opened (never connecting just to close): drain it when
   * connected, close it at once while the client reconnects (a drain would wait for the server).
   */
  close(): Promise<void>;
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
    if (connection) return connection;
    const { maxAttempts, waitMs } = config.reconnect;
    const opening = connect({
      servers: config.url,
      name: config.name,
      maxReconnectAttempts: maxAttempts === Number.POSITIVE_INFINITY ? -1 : maxAttempts,
      reconnectTimeWait: waitMs,
    }).then(
      (nc) => {
        void watch(nc).catch(() => undefined);
        return nc;
      },
      (error: unknown) => {
        if (connection === opening) connection = undefined;
        throw natsError(`connect to ${config.url}`, error);
      },
    );
    connection = opening;
    return opening;
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
  const close = async () => {
    const nc = await connection?.catch(() => undefined);
    if (!nc || nc.isClosed()) return;
    if (reconnecting) await nc.close().catch(() => undefined);
    else await nc.drain().catch(() => nc.close());
  };
  return Object.assign(open, { guard, close });
}

/** A NATS client error as a MicroError naming the operation. */
export const natsError = (operation: string, error: unknown): MicroError => backendError('nats', operation, error);

/** Run a NATS operation, mapping its failures. */
export const attempt = <T>(operation: string, work: () => Promise<T>): Promise<T> => attemptOn('nats', operation, work);
