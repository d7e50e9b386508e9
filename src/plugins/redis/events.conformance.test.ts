// eventsConformance, unchanged, against the Redis events plugin (Streams) on a real server.
import { eventsConformance } from '../../conformance/events.js';
import { trackedClients } from '../../conformance/support.js';
import { describeBackend } from '../describe-backend.js';
import { redisEvents } from './events.js';
import { dropPrefix, uniquePrefix } from './test-helpers.js';

describeBackend('redis', ({ url }) => {
  // Each client is a separate connection. Ack deadlines are measured by the server (idle
  // time) and timestamps are the server's TIME: real time.
  eventsConformance(
    'redis',
    async () => {
      const prefix = uniquePrefix('events');
      const { subject, closeAll } = trackedClients(() => redisEvents({ url, prefix }));
      return {
        subject,
        cleanup: async () => {
          await closeAll();
          await dropPrefix(url, prefix);
        },
      };
    },
    { realAckDeadlineMs: 200 },
  );
});
