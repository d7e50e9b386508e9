// configConformance, unchanged, against the JetStream KV config source on a real server.
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { configConformance } from '../../conformance/config.js';
import { describeBackend } from '../describe-backend.js';
import { natsConfigSource } from './config.js';
import { encodeKey } from './store.js';
import { uniquePrefix } from './test-helpers.js';

describeBackend('nats', ({ url }) => {
  configConformance(
    'nats kv source',
    async () => {
      const bucket = uniquePrefix('config');
      const nc = await connect({ servers: url });
      const kv = await new Kvm(nc).create(bucket, { history: 1 });
      const write = async (text: string) => void (await kv.put(encodeKey('app.json'), text));
      return {
        subject: {
          source: natsConfigSource({ url, bucket, key: 'app.json' }),
          write: (tree) => write(JSON.stringify(tree)),
          writeRaw: write,
        },
        cleanup: async () => {
          await kv.destroy().catch(() => false);
          await nc.close();
        },
      };
    },
    { noticeMs: 3_000 }, // the KV watch pushes within a round trip; the margin is for a loaded machine (1 s missed once in CI)
  );
});
