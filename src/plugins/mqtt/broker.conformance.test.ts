// brokerConformance, unchanged, against the MQTT broker on a real server (Mosquitto here).
import { brokerConformance } from '../../conformance/broker.js';
import { trackedClients } from '../../conformance/support.js';
import { describeBackend } from '../describe-backend.js';
import { mqttBroker } from './broker.js';

let counter = 0;

describeBackend('mqtt', ({ url }) => {
  brokerConformance(
    'mqtt',
    async () => {
      const prefix = `mctest/${process.pid}-${++counter}-${Date.now().toString(36)}`;
      const { subject, closeAll } = trackedClients(() => mqttBroker({ url, prefix }));
      return {
        subject,
        cleanup: async () => {
          await closeAll();
        },
      };
    },
    {
      unsupported: {
        atLeastOnce: 'MQTT redelivers QoS 1 only when a persistent session reconnects: no nack, no ack timeout',
      },
    },
  );
});
