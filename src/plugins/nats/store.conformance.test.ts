// storeConformance, unchanged, against the NATS KV store driver on a real server.
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { createStore } from '../../micro/store/store.js';
import { describeBackend } from '../describe-backend.js';
import { jetStreamName } from './names.js';
import { natsStoreDriver } from './store.js';
import { uniquePrefix } from './test-helpers.js';

describeBackend('nats', ({ url }) => {
  // Expiry is decided by the shared store layer on the store's clock: virtual time.
  storeConformance('nats-kv', async () => {
    const runtime = manualRuntime();
    const prefix = uniquePrefix('store');
    const driver = natsStoreDriver({ url, prefix });
    return {
      subject: createStore({ driver, runtime }),
      advance: (ms) => runtime.advance(ms),
      cleanup: async () => {
        await driver.close();
        await dropBuckets(url, prefix);
      },
    };
  });
});

async function dropBuckets(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const kvm = new Kvm(nc);
    const mine = `${jetStreamName(prefix)}_`;
    for await (const status of kvm.list())
      if (status.bucket.startsWith(mine)) await (await kvm.open(status.bucket)).destroy();
  } finally {
    await nc.close();
  }
}
