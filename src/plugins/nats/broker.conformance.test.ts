// brokerConformance, unchanged, against the NATS broker (core subjects) on a real server.
import { brokerConformance } from '../../conformance/broker.js';
import { trackedClients } from '../../conformance/support.js';
import { describeBackend } from '../describe-backend.js';
import { natsBroker } from './broker.js';
import { uniquePrefix } from './test-helpers.js';

describeBackend('nats', ({ url }) => {
  brokerConformance(
    'nats',
    async () => {
      const prefix = uniquePrefix('broker');
      const { subject, closeAll } = trackedClients(() => natsBroker({ url, prefix }));
      return {
        subject,
        cleanup: async () => {
          await closeAll();
        },
      };
    },
    {
      largePayloadBytes: 1_000_000, // nats-server's default max_payload is 1 MiB, headers included
      unsupported: {
        atLeastOnce: 'core NATS keeps nothing and never redelivers; natsEvents on JetStream does',
      },
    },
  );
});
