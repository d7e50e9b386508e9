/**
 * An idempotent producer over any {@link Events}: one stable producer id, a sequence number per
 * publish, and retries of retryable failures (UNAVAILABLE, TIMEOUT — the publish may have
 * appended) with the same dedup key, so a lost reply costs a retry, never a duplicate. On a
 * backend that deduplicates (see the contract in types.ts) that makes each publish append once;
 * on one that does not, the retries are at-least-once.
 *
 *   const orders = idempotentPublisher(events, { producer: `orders-${instanceId}` });
 *   await orders.publish('orders', body); // dedup { producer, sequence: 0 }, then 1, 2 …
 *
 * The key is remembered for the backend's dedup window (2 minutes by default), far longer than
 * the retries take. A producer id reused after a restart must not start its sequence again
 * within the window: leave `producer` to its random default, or persist where to resume.
 */
import { backoffDelay, DEFAULT_BACKOFF } from '../client/backoff.js';
import { badRequest, isMicroError } from '../errors.js';
import { liveRuntime } from '../live.js';
import { type Runtime, randomId, sleep } from '../runtime.js';
import { checkDedup } from './options.js';
import type { Events, Published, PublishKey } from './types.js';

export interface IdempotentPublisherOptions {
  /** This producer's id. Default: `producer-` and a random id from the runtime. */
  readonly producer?: string;
  /** The first publish's sequence number. Default: 0. */
  readonly firstSequence?: number;
  /** Tries per publish, the first included (only retryable failures are retried). Default: {@link DEFAULT_PUBLISH_ATTEMPTS}. */
  readonly attempts?: number;
  /** Backoff between tries (exponential, with jitter). Default: {@link DEFAULT_BACKOFF}. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Timers (backoff) and random (default producer id, jitter). Default: liveRuntime. */
  readonly runtime?: Runtime;
}

/** With the default backoff the retries span about 2.5–5 s (a reconnect), far inside the dedup window. */
export const DEFAULT_PUBLISH_ATTEMPTS = 8;

export interface IdempotentPublisher {
  readonly producer: string;
  /** The sequence number the next publish takes. */
  readonly nextSequence: number;
  /** Publish with the next dedup key, retrying retryable failures with that same key. */
  publish(
    stream: string,
    body: Uint8Array,
    options?: { readonly headers?: Readonly<Record<string, string>> },
  ): Promise<Published>;
}

export function idempotentPublisher(events: Events, options: IdempotentPublisherOptions = {}): IdempotentPublisher {
  const runtime = options.runtime ?? liveRuntime;
  const producer = options.producer ?? `producer-${randomId(runtime)}`;
  let sequence = options.firstSequence ?? 0;
  checkDedup({ dedup: { producer, sequence } });
  const attempts = options.attempts ?? DEFAULT_PUBLISH_ATTEMPTS;
  if (!Number.isSafeInteger(attempts) || attempts < 1)
    throw badRequest(`attempts must be an integer ≥ 1, got ${String(attempts)}`);
  const { baseMs, maxMs } = options.backoff ?? DEFAULT_BACKOFF;
  return {
    producer,
    get nextSequence() {
      return sequence;
    },
    async publish(stream, body, publishOptions = {}) {
      const dedup: PublishKey = { producer, sequence: sequence++ };
      for (let attempt = 0; ; attempt++) {
        try {
          return await events.publish(stream, body, { ...publishOptions, dedup });
        } catch (error) {
          if (!(isMicroError(error) && error.retryable) || attempt + 1 >= attempts) throw error;
          await sleep(runtime, backoffDelay(attempt, runtime.random, baseMs, maxMs));
        }
      }
    },
  };
}
