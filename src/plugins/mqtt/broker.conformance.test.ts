// brokerConformance, unchanged, against the MQTT broker on a real server (Mosquitto here).
import { brokerConformance } from '../../conformance/broker.js';
import type { Broker } from '../../micro/broker/types.js';
import { describeBackend } from '../describe-backend.js';
import { mqttBroker } from './broker.js';

let counter = 0;

describeBackend('mqtt', ({ url }) => {
  brokerConformance(
    'mqtt',
    async () => {
      const prefix = `mctest/${process.pid}-${++counter}-${Date.now().toString(36)}`;
      const clients: Broker[] = [];
      return {
        subject: {
          client() {
            const broker = mqttBroker({ url, prefix });
            clients.push(broker);
            return broker;
          },
        },
        cleanup: async () => {
          for (const broker of clients) await broker.close();
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
