// Moleculer baselines for bench/rpc.ts: two brokers in one process, one calling the other.
import { ServiceBroker, type Transporter } from 'moleculer';
import { freePort } from './_rpc-measure.js';

export interface Pair {
  call(name: string): Promise<unknown>;
  stop(): Promise<void>;
}

async function pair(transporter: (node: 'caller' | 'callee') => string | Transporter | object): Promise<Pair> {
  const common = { logger: false, metrics: false, tracing: false } as const;
  const callee = new ServiceBroker({ ...common, nodeID: 'callee', transporter: transporter('callee') });
  const caller = new ServiceBroker({ ...common, nodeID: 'caller', transporter: transporter('caller') });
  callee.createService({
    name: 'greeter',
    actions: { hello: (ctx: { params: { name: string } }) => ({ message: `Hello ${ctx.params.name}` }) },
  });
  await Promise.all([callee.start(), caller.start()]);
  await caller.waitForServices('greeter', 10_000);
  return {
    call: (name) => caller.call('greeter.hello', { name }),
    stop: async () => {
      await caller.stop();
      await callee.stop();
    },
  };
}

/** Moleculer's in-memory `Fake` transporter (a process-global event bus). */
export const moleculerFake = () => pair(() => 'Fake');

/** Moleculer's TCP transporter on loopback, discovery by static URLs (no UDP). */
export async function moleculerTcp(): Promise<Pair> {
  const ports = { caller: await freePort(), callee: await freePort() };
  const urls = [`127.0.0.1:${ports.caller}/caller`, `127.0.0.1:${ports.callee}/callee`];
  return pair((node) => ({
    type: 'TCP',
    options: { udpDiscovery: false, port: ports[node], urls },
  }));
}
