import { afterEach } from 'vitest';
import { syncConformance } from '../conformance/sync.js';
import type { Sync } from '../micro/sync/types.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { drive, lazy, uniqueName } from './driven.js';
import { hostLocks, syncClient } from './sync.js';

const sims: Sim[] = [];
afterEach(() => {
  for (const sim of sims.splice(0)) sim.dispose();
});

/** Each conformance client is a Sync on its own node, talking to the `locks` node. */
syncConformance('sim fake', async () => {
  const sim = createSim({ seed: 7 });
  sims.push(sim);
  hostLocks(sim);
  const driven = drive(sim);
  const client = (name: string): Sync => {
    const booted = new Promise<NodeContext>((resolve) => sim.node(uniqueName(sim, `app-${name}`), resolve));
    return driven.wrap(lazy(booted.then((ctx) => syncClient(ctx))));
  };
  return { subject: { client }, advance: (ms) => driven.advance(ms) };
});
