import { expect, it } from 'vitest';
import { manualRuntime } from '../testing/manual-runtime.js';
import { memoryEvents } from './memory.js';
import { DEFAULT_DEDUP_WINDOW_MS, type EventRecord, type PublishKey } from './types.js';

const bytes = (text: string) => new TextEncoder().encode(text);

it('memory remembers a dedup key for the dedup window from its first publish, then appends it again', async () => {
  const runtime = manualRuntime();
  const events = memoryEvents({ runtime });
  const dedup = { producer: 'orders-1', sequence: 1 };
  const first = await events.publish('orders', bytes('placed'), { dedup });
  await runtime.advance(DEFAULT_DEDUP_WINDOW_MS - 1);
  expect(await events.publish('orders', bytes('placed'), { dedup })).toMatchObject({
    offset: first.offset,
    duplicate: true,
  });
  await runtime.advance(1);
  expect(await events.publish('orders', bytes('placed'), { dedup })).toMatchObject({ offset: 2, duplicate: false });
  expect(await events.read('orders')).toHaveLength(2);
});

it('a restored record keeps its dedup key', async () => {
  const runtime = manualRuntime();
  const saved: [EventRecord, PublishKey | undefined][] = [];
  const before = memoryEvents({ runtime, persist: (...args) => saved.push(args) });
  const dedup = { producer: 'orders-1', sequence: 1 };
  const first = await before.publish('orders', bytes('placed'), { dedup });
  const after = memoryEvents({
    runtime,
    restore: saved.map(([record, key]) => (key ? { ...record, dedup: key } : record)),
  });
  expect(await after.publish('orders', bytes('placed'), { dedup })).toEqual({ ...first, duplicate: true });
  expect((await after.read('orders')).map((r) => Object.keys(r).sort())).toEqual([
    ['body', 'headers', 'id', 'offset', 'stream', 'timestamp'],
  ]);
});
