import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMicroError } from '../../micro/errors.js';
import { createStore } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { describeBackend } from '../describe-backend.js';
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

  /** The server-side id of the store's connection, found by its CLIENT SETNAME. */
  async function storeConnectionId(): Promise<string> {
    const list = String(await admin.client('LIST'));
    const line = list.split('\n').find((l) => l.includes(` name=${connectionName} `));
    const id = line?.match(/\bid=(\d+)/)?.[1];
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
});
