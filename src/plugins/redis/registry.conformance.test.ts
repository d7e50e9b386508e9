// registryConformance, unchanged, against the Redis registry on a real server.
import { registryConformance } from '../../conformance/registry.js';
import { describeBackend } from '../describe-backend.js';
import { redisRegistry } from './registry.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  // Nodes expire by PEXPIRE on the server's clock: real time, with short TTLs and a fast poll.
  registryConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('registry');
      const registry = redisRegistry({ url, prefix, watchPollMs: 20 });
      return {
        subject: registry,
        cleanup: async () => {
          await registry.close();
          await dropPrefix(url, prefix);
        },
      };
    },
    {
      // Port 1: nothing listens there.
      unreachable: async () => {
        const registry = redisRegistry({ url: 'redis://127.0.0.1:1', prefix: uniquePrefix('registry') });
        return { subject: registry, cleanup: () => registry.close() };
      },
      unsupported: {
        exactTtlBoundary: 'Redis expires keys on its own clock, which the suite cannot move',
        eventPerChange: 'a watch re-reads and diffs on each change message, so changes close together may fold',
      },
    },
  );
});
