// eventsConformance, unchanged, against the JetStream events plugin on a real server.
import { eventsConformance } from '../../conformance/events.js';
import { trackedClients } from '../../conformance/support.js';
import { describeBackend } from '../describe-backend.js';
import { natsEvents } from './events.js';
import { uniquePrefix } from './test-helpers.js';

describeBackend('nats', ({ url }) => {
  // Ack deadlines are the server's (ack_wait) and timestamps its clock: real time.
  eventsConformance(
    'jetstream',
    async () => {
      const prefix = uniquePrefix('events');
      const { subject, closeAll } = trackedClients(() => natsEvents({ url, prefix }));
      return {
        subject,
        cleanup: async () => {
          await closeAll();
          await dropStreams(url, prefix);
        },
      };
    },
    { realAckDeadlineMs: 300, largePayloadBytes: 1_000_000 },
  );
});

async function dropStreams(url: string, prefix: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const { jetStreamName } = await import('./names.js');
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const mine = `${jetStreamName(prefix)}_`;
    for await (const name of jsm.streams.names()) if (name.startsWith(mine)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}
