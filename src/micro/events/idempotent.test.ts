import { describe, expect, it } from 'vitest';
import { badRequest, isMicroError, unavailable } from '../errors.js';
import { manualRuntime } from '../testing/manual-runtime.js';
import { idempotentPublisher } from './idempotent.js';
import { memoryEvents } from './memory.js';
import type { Events, PublishKey } from './types.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Memory events whose next `lose` publishes append and then fail as if the reply were lost. */
function lossy(failure: () => Error = () => unavailable('reply lost')) {
  const runtime = manualRuntime();
  const events = memoryEvents({ runtime });
  const keys: (PublishKey | undefined)[] = [];
  const state = { lose: 0 };
  const client: Events = {
    ...events,
    async publish(stream, body, options) {
      keys.push(options?.dedup);
      const published = await events.publish(stream, body, options);
      if (state.lose-- > 0) throw failure();
      return published;
    },
  };
  return { runtime, events, client, keys, state };
}

describe('idempotentPublisher', () => {
  it('retries a publish whose reply was lost with the same key: one event, the retry a duplicate', async () => {
    const { runtime, events, client, keys, state } = lossy();
    const orders = idempotentPublisher(client, { producer: 'orders-1', runtime });
    state.lose = 2;
    const placed = orders.publish('orders', bytes('placed'));
    await runtime.advance(10_000);
    expect(await placed).toMatchObject({ offset: 1, duplicate: true });
    expect(keys).toEqual([1, 2, 3].map(() => ({ producer: 'orders-1', sequence: 0 })));

    const paid = await orders.publish('orders', bytes('paid'));
    expect(paid).toMatchObject({ offset: 2, duplicate: false });
    expect(keys.at(-1)).toEqual({ producer: 'orders-1', sequence: 1 });
    expect((await events.read('orders')).map((r) => new TextDecoder().decode(r.body))).toEqual(['placed', 'paid']);
  });

  it('gives up after `attempts` tries with the last error, and does not retry a non-retryable one', async () => {
    const { runtime, client, keys, state } = lossy();
    const orders = idempotentPublisher(client, { runtime, attempts: 3 });
    state.lose = 10;
    const failed = orders.publish('orders', bytes('x')).catch((error: unknown) => error);
    await runtime.advance(10_000);
    const error = await failed;
    expect(isMicroError(error) && error.code).toBe('UNAVAILABLE');
    expect(keys).toHaveLength(3);
    expect(orders.producer).toMatch(/^producer-[0-9a-z]{16}$/);

    const refused = lossy(() => badRequest('no'));
    refused.state.lose = 1;
    const once = idempotentPublisher(refused.client, { runtime: refused.runtime });
    await expect(once.publish('orders', bytes('x'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(refused.keys).toHaveLength(1);
  });

  it('rejects a bad producer or attempts, naming them', () => {
    const { client } = lossy();
    expect(() => idempotentPublisher(client, { producer: 'a/b' })).toThrow(/dedup\.producer/);
    expect(() => idempotentPublisher(client, { firstSequence: -1 })).toThrow(/dedup\.sequence/);
    expect(() => idempotentPublisher(client, { attempts: 0 })).toThrow(/attempts/);
  });
});
