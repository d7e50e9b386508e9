// registryConformance, unchanged, against the NATS KV registry on a real server.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { registryConformance } from '../../conformance/registry.js';
import { describeBackend } from '../describe-backend.js';
import { jetStreamName } from './names.js';
import { natsRegistry } from './registry.js';
import { uniquePrefix } from './test-helpers.js';

describeBackend('nats', ({ url }) => {
  // Expiry is checked on the live clock as nodes are read: real time, short TTLs, a fast poll.
  registryConformance(
    'nats-kv',
    async () => {
      const prefix = uniquePrefix('registry');
      const registry = natsRegistry({ url, prefix, watchPollMs: 20 });
      return {
        subject: registry,
        cleanup: async () => {
          await registry.close();
          await dropBucket(url, prefix);
        },
      };
    },
    {
      // Port 1: nothing listens there.
      unreachable: async () => {
        const registry = natsRegistry({ url: 'nats://127.0.0.1:1', prefix: uniquePrefix('registry') });
        return { subject: registry, cleanup: () => registry.close() };
      },
      unsupported: {
        exactTtlBoundary: 'the registry runs on the live clock here, which the suite cannot move',
        eventPerChange: 'a watch re-reads and diffs on each KV change, so changes close together may fold',
      },
    },
  );
});

async function dropBucket(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    await (await jetstreamManager(nc)).streams.delete(`KV_${jetStreamName(prefix)}_registry`).catch(() => false);
  } finally {
    await nc.close();
  }
}
