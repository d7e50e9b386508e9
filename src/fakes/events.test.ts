import { afterEach } from 'vitest';
import { eventsConformance } from '../conformance/events.js';
import type { Events } from '../micro/events/types.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { drive, lazy, uniqueName } from './driven.js';
import { eventsClient, hostEvents } from './events.js';

const sims: Sim[] = [];
afterEach(() => {
  for (const sim of sims.splice(0)) sim.dispose();
});

/** Each conformance client is an Events client on its own node, talking to the `events` node. */
eventsConformance('sim fake', async () => {
  const sim = createSim({ seed: 13 });
  sims.push(sim);
  hostEvents(sim);
  const driven = drive(sim);
  const client = (name: string): Events => {
    const booted = new Promise<NodeContext>((resolve) => sim.node(uniqueName(sim, `app-${name}`), resolve));
    return driven.wrap(lazy(booted.then((ctx) => eventsClient(ctx))));
  };
  return { subject: { client }, advance: (ms) => driven.advance(ms) };
});
