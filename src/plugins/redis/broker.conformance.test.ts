// brokerConformance, unchanged, against the Redis broker (Streams) on a real server.
import { brokerConformance } from '../../conformance/broker.js';
import type { Broker } from '../../micro/broker/types.js';
import { describeBackend } from '../describe-backend.js';
import { redisBroker } from './broker.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  // Each client is a separate connection, as separate processes would have. Ack timeouts are
  // measured by the server (idle time): real time.
  brokerConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('broker');
      const clients: Broker[] = [];
      return {
        subject: {
          client() {
            const broker = redisBroker({ url, prefix });
            clients.push(broker);
            return broker;
          },
        },
        cleanup: async () => {
          for (const broker of clients) await broker.close();
          await dropPrefix(url, prefix);
        },
      };
    },
    { realAckTimeoutMs: 200 },
  );
});
