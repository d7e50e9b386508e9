// transportConformance against every transport: in-process memory, the simulated network,
// real TCP on loopback, and TCP over mutual TLS with service identities.
import { afterAll, beforeAll } from 'vitest';
import { simTransport } from '../fakes/transport.js';
import { memoryTransport } from '../micro/transport/memory.js';
import type { Transport } from '../micro/transport/types.js';
import { type TestCa, testCa } from '../plugins/tcp/test-certs.js';
import { tcpTransport } from '../plugins/tcp/transport.js';
import { createSim } from '../sim/index.js';
import { realTransportSubject, transportConformance } from './transport.js';

transportConformance('memory', async () => ({ subject: realTransportSubject(memoryTransport(), '') }));

transportConformance('sim', async () => {
  const sim = createSim({ seed: 7 });
  sim.net.latency('*', '*', { type: 'constant', ms: 1 });
  let server!: Transport;
  let client!: Transport;
  sim.node('server', (ctx) => {
    server = simTransport(ctx);
  });
  sim.node('client', (ctx) => {
    client = simTransport(ctx);
  });
  await sim.runFor(0);
  return {
    subject: {
      server,
      client,
      listenAddress: '',
      settle: (promise) => sim.settle(promise, { limitMs: 60_000 }),
      wait: (ms) => sim.runFor(ms),
    },
    cleanup: async () => sim.dispose(),
  };
});

transportConformance('tcp', async () => {
  const server = tcpTransport();
  const client = tcpTransport();
  return {
    subject: realTransportSubject(server, '127.0.0.1:0', client),
    cleanup: async () => {
      await client.close();
      await server.close();
    },
  };
});

let ca: TestCa;
beforeAll(() => {
  ca = testCa();
});
afterAll(() => ca.remove());

transportConformance('tls', async () => {
  const identity = (service: string, peers: string[]) => {
    const id = ca.issue(service, { file: service });
    return { cert: id.cert, key: id.key, ca: ca.ca, peers };
  };
  const server = tcpTransport({ tls: identity('echo', ['caller']) });
  const client = tcpTransport({ tls: identity('caller', ['echo']) });
  return {
    subject: realTransportSubject(server, '127.0.0.1:0', client),
    cleanup: async () => {
      await client.close();
      await server.close();
    },
  };
});
