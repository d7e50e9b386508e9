// brokerConformance, unchanged, against the Redis broker (Streams) on a real server.
import { brokerConformance } from '../../conformance/broker.js';
import { trackedClients } from '../../conformance/support.js';
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
      const { subject, closeAll } = trackedClients(() => redisBroker({ url, prefix }));
      return {
        subject,
        cleanup: async () => {
          await closeAll();
          await dropPrefix(url, prefix);
        },
      };
    },
    { realAckTimeoutMs: 200 },
  );
});
