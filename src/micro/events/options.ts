/** Validation of Events calls: one place that names the bad property. */

import { validateName } from '../broker/topic.js';
import { badRequest } from '../errors.js';
import {
  ACK_MODES,
  type AckMode,
  type ConsumeConfig,
  type ConsumeOptions,
  DEFAULT_ACK_DEADLINE_MS,
  DEFAULT_ACK_MODE,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_READ_LIMIT,
  DEFAULT_START_AT,
  type EventPublishOptions,
  type PublishKey,
  type ReadOptions,
  type StartAt,
} from './types.js';

export function validateStream(stream: unknown): asserts stream is string {
  validateName('stream', stream);
}

const positiveInteger = (what: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw badRequest(`${what} must be an integer ≥ 1, got ${String(value)}`);
  return value;
};

export const MAX_PRODUCER_LENGTH = 200;

/** The publish's dedup key, checked (BAD_REQUEST naming `dedup.producer` / `dedup.sequence`), or undefined. */
export function checkDedup(options: EventPublishOptions | undefined): PublishKey | undefined {
  const dedup = options?.dedup;
  if (dedup === undefined) return undefined;
  const { producer, sequence } = dedup;
  if (typeof producer !== 'string' || !/^[!-.0-~]+$/.test(producer) || producer.length > MAX_PRODUCER_LENGTH)
    throw badRequest(
      `dedup.producer must be 1–${MAX_PRODUCER_LENGTH} printable ASCII characters without spaces or "/", got ${JSON.stringify(producer)}`,
    );
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0)
    throw badRequest(`dedup.sequence must be an integer ≥ 0, got ${String(sequence)}`);
  return { producer, sequence };
}

/** One string per key, unambiguous (the producer has no `/`): JetStream's Nats-Msg-Id, the Redis dedup key's tail. */
export const dedupId = (key: PublishKey): string => `${key.producer}/${key.sequence}`;

export function checkStartAt(startAt: StartAt): StartAt {
  switch (startAt?.type) {
    case 'earliest':
    case 'latest':
      return startAt;
    case 'offset':
      positiveInteger('startAt.offset', startAt.offset);
      return startAt;
    case 'time':
      if (typeof startAt.time !== 'number' || !Number.isFinite(startAt.time))
        throw badRequest(`startAt.time must be epoch milliseconds, got ${String(startAt.time)}`);
      return startAt;
    default: {
      const never: never | undefined = startAt;
      throw badRequest(`startAt must be earliest, latest, offset or time, got ${JSON.stringify(never)}`);
    }
  }
}

export function resolveConsumeOptions(options: ConsumeOptions = {}): ConsumeConfig {
  const {
    group,
    startAt = DEFAULT_START_AT,
    ack = DEFAULT_ACK_MODE,
    ackDeadlineMs = DEFAULT_ACK_DEADLINE_MS,
    maxDeliveries = DEFAULT_MAX_DELIVERIES,
    deadLetter,
    maxInFlight = DEFAULT_MAX_IN_FLIGHT,
  } = options;
  if (group !== undefined) validateName('group', group);
  if (deadLetter !== undefined) validateName('deadLetter', deadLetter);
  if (!ACK_MODES.includes(ack as AckMode))
    throw badRequest(`ack must be one of ${ACK_MODES.join(', ')}, got ${JSON.stringify(ack)}`);
  if (typeof ackDeadlineMs !== 'number' || !Number.isFinite(ackDeadlineMs) || ackDeadlineMs <= 0)
    throw badRequest(`ackDeadlineMs must be a finite number > 0, got ${String(ackDeadlineMs)}`);
  return {
    group,
    startAt: checkStartAt(startAt),
    ack,
    ackDeadlineMs,
    maxDeliveries: positiveInteger('maxDeliveries', maxDeliveries),
    deadLetter,
    maxInFlight: positiveInteger('maxInFlight', maxInFlight),
  };
}

export function resolveReadOptions(options: ReadOptions = {}): { readonly startAt: StartAt; readonly limit: number } {
  return {
    startAt: checkStartAt(options.startAt ?? DEFAULT_START_AT),
    limit: positiveInteger('limit', options.limit ?? DEFAULT_READ_LIMIT),
  };
}

/** Index (0-based) of the first record at or after `startAt` in a stream of `records`. */
export function startIndex(records: readonly { readonly timestamp: number }[], startAt: StartAt): number {
  switch (startAt.type) {
    case 'earliest':
      return 0;
    case 'latest':
      return records.length;
    case 'offset':
      return startAt.offset - 1;
    case 'time': {
      const index = records.findIndex((r) => r.timestamp >= startAt.time);
      return index === -1 ? records.length : index;
    }
    default: {
      const never: never = startAt;
      return never;
    }
  }
}
