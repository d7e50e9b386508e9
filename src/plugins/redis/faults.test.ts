import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../micro/broker/types.js';
import { isMicroError } from '../../micro/errors.js';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisBroker } from './broker.js';
import { redisStoreDriver } from './store.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describeBackend('redis', ({ url }) => {
  const prefix = uniquePrefix('faults');
  const connectionName = prefix.replaceAll(':', '-');
  let store: Store;
  let admin: Redis;
  beforeAll(() => {
    store = createStore({ driver: redisStoreDriver({ url, prefix, connectionName }) });
    admin = new Redis(url);
  });
  afterAll(async () => {
    await admin.client('UNPAUSE');
    await store.close();
    admin.disconnect();
    await dropPrefix(url, prefix);
  });

  /** Server-side ids of the connections carrying `name` (CLIENT SETNAME). */
  async function connectionIds(name: string): Promise<string[]> {
    const list = String(await admin.client('LIST'));
    const lines = list.split('\n').filter((l) => l.includes(` name=${name} `));
    return lines.flatMap((l) => l.match(/\bid=(\d+)/)?.[1] ?? []);
  }

  async function storeConnectionId(): Promise<string> {
    const [id] = await connectionIds(connectionName);
    if (id === undefined) throw new Error(`no connection named ${connectionName}`);
    return id;
  }

  it('a connection killed mid-write fails that write as retryable UNAVAILABLE and loses no acknowledged write', async () => {
    const acknowledged = await store.write({ key: 'before', value: bytes('kept') });
    expect(acknowledged.type).toBe('ok');

    // Hold writes on the server so the next one is certainly in flight, then kill its socket.
    await admin.call('CLIENT', 'PAUSE', '2000', 'WRITE');
    const inFlight = store.write({ key: 'during', value: bytes('maybe') }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await admin.client('KILL', 'ID', await storeConnectionId());
    await admin.client('UNPAUSE');

    const failure = await inFlight;
    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    expect(new TextDecoder().decode((await store.read('before'))?.value)).toBe('kept');

    // The client reconnects by itself: the caller's retry goes through.
    const retried = await store.write({ key: 'during', value: bytes('retried') });
    expect(retried.type).toBe('ok');
    expect(new TextDecoder().decode((await store.read('during'))?.value)).toBe('retried');
  });

  it('an unreachable server is a retryable UNAVAILABLE, not a hang', async () => {
    const nowhere = createStore({ driver: redisStoreDriver({ url: 'redis://127.0.0.1:1', prefix }) });
    const failure = await nowhere.read('x').catch((error: unknown) => error);
    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    await nowhere.close();
  });

  it('an at-least-once subscriber whose connections are killed still gets what was published meanwhile', async () => {
    const name = `${connectionName}-sub`;
    const subscriber = redisBroker({ url, prefix, connectionName: name });
    const publisher = redisBroker({ url, prefix });
    const seen: ReceivedMessage[] = [];
    await subscriber.subscribe('jobs', (message) => void seen.push(message), {
      delivery: 'at-least-once',
      ackTimeoutMs: 200,
    });
    const ids = await connectionIds(name);
    expect(ids.length).toBeGreaterThanOrEqual(2); // the shared connection and the blocking reader
    for (const id of ids) await admin.client('KILL', 'ID', id);
    const published = await publisher.publish('jobs', bytes('survive me'));
    for (let waited = 0; seen.length === 0 && waited < 5_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([subscriber.close(), publisher.close()]);
    expect(seen.map((m) => m.id)).toContain(published);
  });
});
