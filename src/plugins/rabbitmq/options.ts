/**
 * The RabbitMQ broker's options: partial and readonly in, validated eagerly (naming the bad
 * property) into a total {@link RabbitConfig}.
 */
import { badRequest } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';

/** How a lost connection is recovered: exponential backoff with jitter between attempts. */
export interface RabbitReconnectOptions {
  /** Ceiling of the first wait; attempt n waits between half and all of min(maxMs, baseMs · 2ⁿ). Default: 100. */
  readonly baseMs?: number;
  /** The longest wait between two attempts. Default: 5_000. */
  readonly maxMs?: number;
  /** Failed attempts after which the broker gives up (its subscriptions end). Default: Infinity (never). */
  readonly maxAttempts?: number;
}

export interface RabbitBrokerOptions {
  /** Default: {@link DEFAULT_RABBITMQ_URL}, or `MICROCOSM_RABBITMQ_URL` when set. */
  readonly url?: string;
  /** Exchange and queue-name prefix. Default: {@link DEFAULT_RABBITMQ_PREFIX}. */
  readonly prefix?: string;
  /** At-least-once: unacked messages a consumer may hold. Default: 64. */
  readonly prefetch?: number;
  /** A connect (first or reconnect) not open within this many ms fails (the socket's own timer). Default: 10_000. */
  readonly connectTimeoutMs?: number;
  /** Reconnecting after a lost connection or channel. Default: {@link DEFAULT_RABBITMQ_RECONNECT}. */
  readonly reconnect?: RabbitReconnectOptions;
  /** Timers, random (message ids, backoff jitter). Default: liveRuntime. */
  readonly runtime?: Runtime;
}

export const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
export const DEFAULT_RABBITMQ_PREFIX = 'microcosm';
export const DEFAULT_RABBITMQ_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_RABBITMQ_RECONNECT = { baseMs: 100, maxMs: 5_000, maxAttempts: Number.POSITIVE_INFINITY } as const;

export interface RabbitConfig {
  readonly url: string;
  readonly prefix: string;
  readonly prefetch: number;
  readonly connectTimeoutMs: number;
  readonly reconnect: Required<RabbitReconnectOptions>;
  readonly runtime: Runtime;
}

export function resolveRabbitOptions(options: RabbitBrokerOptions = {}): RabbitConfig {
  const url = options.url ?? process.env.MICROCOSM_RABBITMQ_URL ?? DEFAULT_RABBITMQ_URL;
  const prefix = options.prefix ?? DEFAULT_RABBITMQ_PREFIX;
  const prefetch = options.prefetch ?? 64;
  if (!Number.isSafeInteger(prefetch) || prefetch < 1)
    throw badRequest(`rabbitBroker: prefetch must be ≥ 1, got ${prefetch}`);
  if (prefix.length === 0) throw badRequest('rabbitBroker: prefix must not be empty');
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_RABBITMQ_CONNECT_TIMEOUT_MS;
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0)
    throw badRequest(`rabbitBroker: connectTimeoutMs must be a positive number of ms, got ${connectTimeoutMs}`);
  const { baseMs, maxMs, maxAttempts } = { ...DEFAULT_RABBITMQ_RECONNECT, ...options.reconnect };
  if (!Number.isFinite(baseMs) || baseMs <= 0)
    throw badRequest(`rabbitBroker: reconnect.baseMs must be a positive number of ms, got ${baseMs}`);
  if (!Number.isFinite(maxMs) || maxMs < baseMs)
    throw badRequest(
      `rabbitBroker: reconnect.maxMs must be a number of ms ≥ reconnect.baseMs (${baseMs}), got ${maxMs}`,
    );
  if (!(Number.isSafeInteger(maxAttempts) || maxAttempts === Number.POSITIVE_INFINITY) || maxAttempts < 0)
    throw badRequest(`rabbitBroker: reconnect.maxAttempts must be an integer ≥ 0 or Infinity, got ${maxAttempts}`);
  return {
    url,
    prefix,
    prefetch,
    connectTimeoutMs,
    reconnect: { baseMs, maxMs, maxAttempts },
    runtime: options.runtime ?? liveRuntime,
  };
}
