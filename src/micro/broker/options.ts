/** Validation of broker calls: one place that names the bad property. */
import { badRequest } from '../errors.js';
import { validateName } from './topic.js';
import {
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_DELIVERY,
  DELIVERY_MODES,
  type DeliveryMode,
  type PublishOptions,
  type SubscribeConfig,
  type SubscribeOptions,
} from './types.js';

export function resolveSubscribeOptions(options: SubscribeOptions = {}): SubscribeConfig {
  const { queue, delivery = DEFAULT_DELIVERY, autoAck = true, ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS } = options;
  if (queue !== undefined) validateName('queue', queue);
  if (!DELIVERY_MODES.includes(delivery as DeliveryMode))
    throw badRequest(`delivery must be one of ${DELIVERY_MODES.join(', ')}, got ${JSON.stringify(delivery)}`);
  if (typeof autoAck !== 'boolean') throw badRequest(`autoAck must be a boolean, got ${JSON.stringify(autoAck)}`);
  if (typeof ackTimeoutMs !== 'number' || !Number.isFinite(ackTimeoutMs) || ackTimeoutMs <= 0)
    throw badRequest(`ackTimeoutMs must be a finite number > 0, got ${String(ackTimeoutMs)}`);
  return { queue, delivery, autoAck, ackTimeoutMs };
}

export function checkBody(body: unknown): asserts body is Uint8Array {
  if (!(body instanceof Uint8Array)) throw badRequest(`body must be a Uint8Array, got ${describe(body)}`);
}

export function checkHeaders(options: PublishOptions | undefined): Record<string, string> {
  const headers = options?.headers ?? {};
  for (const [key, value] of Object.entries(headers)) {
    if (key.length === 0) throw badRequest('headers must not have an empty name');
    if (typeof value !== 'string') throw badRequest(`header "${key}" must be a string, got ${describe(value)}`);
  }
  return { ...headers };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
