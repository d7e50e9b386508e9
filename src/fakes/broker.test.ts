import { afterEach } from 'vitest';
import { brokerConformance } from '../conformance/broker.js';
import type { Broker } from '../micro/broker/types.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { brokerClient, hostBroker } from './broker.js';
import { drive, lazy, uniqueName } from './driven.js';

const sims: Sim[] = [];
afterEach(() => {
  for (const sim of sims.splice(0)) sim.dispose();
});

/** Each conformance client is a Broker on its own node, talking to the `broker` node. */
brokerConformance('sim fake', async () => {
  const sim = createSim({ seed: 11 });
  sims.push(sim);
  hostBroker(sim);
  const driven = drive(sim);
  const client = (name: string): Broker => {
    const booted = new Promise<NodeContext>((resolve) => sim.node(uniqueName(sim, `app-${name}`), resolve));
    return driven.wrap(lazy(booted.then((ctx) => brokerClient(ctx))));
  };
  return { subject: { client }, advance: (ms) => driven.advance(ms) };
});
