// eventsConformance, unchanged, against the Redis events plugin (Streams) on a real server.
import { eventsConformance } from '../../conformance/events.js';
import type { Events } from '../../micro/events/types.js';
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
      const clients: Events[] = [];
      return {
        subject: {
          client() {
            const events = redisEvents({ url, prefix });
            clients.push(events);
            return events;
          },
        },
        cleanup: async () => {
          for (const events of clients) await events.close();
          await dropPrefix(url, prefix);
        },
      };
    },
    { realAckDeadlineMs: 200 },
  );
});
