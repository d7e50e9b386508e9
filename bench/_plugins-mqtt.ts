// The MQTT part of bench/plugins.ts: broker publish (QoS 1, resolved on the PUBACK) → delivery
// (QoS 0 subscription), beside raw mqtt.js doing the same on its own topic.
import mqtt from 'mqtt';
import { mqttBroker } from '../src/plugins/mqtt/index.js';
import type { Operation, Section } from './_plugins-kit.js';
import { deliveries, unique } from './_plugins-kit.js';

const value = new Uint8Array(64).fill(7);

export const mqttSection: Section = {
  backend: 'mqtt',
  async setup(url) {
    const prefix = unique('mqtt').replaceAll(':', '/');
    const rawTopic = `${prefix}/raw`;
    const broker = mqttBroker({ url, prefix });
    const client = await mqtt.connectAsync(url, { protocolVersion: 5 });

    // Deliveries: ours through the plugin's handler, raw through the client's message event.
    const { delivered, arrival } = deliveries();
    await broker.subscribe('bench', (message) => delivered(message.id));
    client.on('message', (_topic, _payload, packet) => delivered(String(packet.properties?.userProperties?.id)));
    await client.subscribeAsync(rawTopic, { qos: 0 });
    let n = 0;

    const operations: Operation[] = [
      {
        name: 'mqtt publish→deliver',
        raw: 'publishAsync QoS 1 with an id user property, QoS 0 subscription',
        runOurs: async () => {
          await arrival(await broker.publish('bench', value));
        },
        runRaw: async () => {
          const id = `r${n++}`;
          await client.publishAsync(rawTopic, Buffer.from(value), { qos: 1, properties: { userProperties: { id } } });
          await arrival(id);
        },
      },
    ];
    return {
      operations,
      async teardown() {
        await broker.close();
        await client.endAsync();
      },
    };
  },
};
