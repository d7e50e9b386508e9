import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Events } from '../../micro/events/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisEvents } from './events.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  const prefix = uniquePrefix('events-interop');
  let events: Events;
  let plain: Redis;
  beforeAll(() => {
    events = redisEvents({ url, prefix });
    plain = new Redis(url);
  });
  afterAll(async () => {
    await events.close();
    plain.disconnect();
    await dropPrefix(url, prefix);
  });

  it('publishes entries a plain client reads with XRANGE, the offset as the entry id', async () => {
    const published = await events.publish('orders', new TextEncoder().encode('order 1'), {
      headers: { kind: 'created' },
    });
    const entries = await plain.xrange(`${prefix}:events:orders`, '-', '+');
    expect(entries).toHaveLength(1);
    const [id, fields] = entries[0]!;
    expect(id).toBe(`${published.offset}-0`);
    const byName = Object.fromEntries(fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : [])));
    expect(byName).toEqual({
      id: published.id,
      h: JSON.stringify({ kind: 'created' }),
      b: 'order 1',
      t: String(published.timestamp),
    });
  });

  it('consumes an entry a plain client appended in the same layout', async () => {
    await plain.xadd(`${prefix}:events:payments`, '7-0', 'id', 'ext-1', 'h', '{}', 'b', 'paid', 't', '1700000000000');
    const consumer = await events.consume('payments', { ack: 'auto' });
    const message = await consumer.next();
    await consumer.close();
    expect([message?.id, message?.offset, new TextDecoder().decode(message?.body)]).toEqual(['ext-1', 7, 'paid']);
  });
});
