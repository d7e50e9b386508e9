import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../micro/index.js';
import type { Cluster } from './cluster.js';
import { createLocalCluster } from './local.js';

class Counter {
  #count = 0;
  async Add(request: { n: number }, _context: CallContext) {
    this.#count += request.n;
    return { count: this.#count };
  }
}

let cluster: Cluster | undefined;
afterEach(() => {
  cluster?.dispose();
  cluster = undefined;
});

describe('createLocalCluster (no simulation, same API)', () => {
  it('calls a service, writes the store and takes a lock in-process', async () => {
    cluster = await createLocalCluster({
      services: { counter: (service) => void service.handle('Counter', new Counter()) },
    });
    expect(await cluster.client.call('counter', 'Counter.Add', { n: 3 })).toEqual({ count: 3 });
    await cluster.store.write({ key: 'k', value: new Uint8Array([1]) });
    expect((await cluster.store.read('k'))?.value).toEqual(new Uint8Array([1]));
    expect((await cluster.sync.lock('job')).type).toBe('acquired');
  });

  it('keeps two clusters apart', async () => {
    cluster = await createLocalCluster({
      services: { counter: (service) => void service.handle('Counter', new Counter()) },
    });
    const other = await createLocalCluster();
    try {
      await expect(other.client.call('counter', 'Counter.Add', { n: 1 }, { retries: 0 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      other.dispose();
    }
  });
});
