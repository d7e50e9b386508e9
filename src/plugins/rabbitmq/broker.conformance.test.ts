// brokerConformance, unchanged, against the RabbitMQ broker on a real server.
import amqp from 'amqplib';
import { brokerConformance } from '../../conformance/broker.js';
import { trackedClients } from '../../conformance/support.js';
import { describeBackend } from '../describe-backend.js';
import { rabbitBroker } from './broker.js';

let counter = 0;

describeBackend('rabbitmq', ({ url }) => {
  brokerConformance(
    'rabbitmq',
    async () => {
      const prefix = `mctest.${process.pid}.${++counter}.${Date.now().toString(36)}`;
      const { subject, closeAll } = trackedClients(() => rabbitBroker({ url, prefix }));
      return {
        subject,
        cleanup: async () => {
          await closeAll();
          const connection = await amqp.connect(url);
          const channel = await connection.createChannel();
          await channel.deleteExchange(prefix).catch(() => undefined);
          await connection.close();
        },
      };
    },
    { realAckTimeoutMs: 200 },
  );
});
