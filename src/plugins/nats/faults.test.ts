import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Events } from '../../micro/events/types.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { failureOf, retried, socketsOpenedBy } from '../socket-faults.js';
import { natsEvents, natsStore } from './index.js';
import { uniquePrefix } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value);

describeBackend('nats', ({ url }) => {
  const prefix = uniquePrefix('faults');
  let store: Store;
  let events: Events;
  beforeAll(() => {
    store = natsStore({ url, prefix, database: 'shop', table: 'orders' });
    events = natsEvents({ url, prefix });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await store.close();
    await events.close();
    await dropPrefix(url, prefix);
  });

  it('a KV write acknowledged before the socket is destroyed is still readable after', async () => {
    const [socket] = await socketsOpenedBy(() => store.write({ key: 'order-1', value: bytes('kept') }));
    expect(socket).toBeDefined();

    const inFlight = store.write({ key: 'order-2', value: bytes('maybe') });
    socket?.destroy();
    // The reply died with the socket: the write fails at once as retryable UNAVAILABLE, not at
    // the client's 5 s request timeout (whether the server applied it is unknown: retry it).
    expect(await failureOf(inFlight)).toEqual(['UNAVAILABLE', true]);

    // While the client reconnects, operations fail fast the same way; the caller's retry goes through.
    expect(text((await retried(() => store.read('order-1')))?.value)).toBe('kept');
    expect((await store.write({ key: 'order-2', value: bytes('retried') })).type).toBe('ok');
    expect(text((await store.read('order-2'))?.value)).toBe('retried');
  });

  it('a JetStream event acknowledged before the socket is destroyed is still consumable', async () => {
    let acknowledged: { offset: number } | undefined;
    const [socket] = await socketsOpenedBy(async () => {
      acknowledged = await events.publish('orders', bytes('placed'));
    });
    expect(socket).toBeDefined();

    const inFlight = events.publish('orders', bytes('maybe'));
    socket?.destroy();
    expect(await failureOf(inFlight)).toEqual(['UNAVAILABLE', true]);

    // Publishing fails fast while the client reconnects; the caller's retry goes through.
    const after = await retried(() => events.publish('orders', bytes('after')));
    expect(after.offset).toBeGreaterThan(acknowledged?.offset ?? Number.POSITIVE_INFINITY);
    const consumer = await events.consume('orders', { group: 'audit' });
    const first = await consumer.next();
    await first?.ack();
    await consumer.close();
    expect([first?.offset, text(first?.body)]).toEqual([acknowledged?.offset, 'placed']);
  });
});

async function dropPrefix(url: string, prefix: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const { jetStreamName } = await import('./names.js');
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const mine = jetStreamName(prefix);
    for await (const name of jsm.streams.names()) if (name.includes(mine)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}
