import { describe, expect, it } from 'vitest';
import { createSim } from './kernel.js';
import { eventsOf } from './trace.js';

describe('restart onto a new address', () => {
  it('boots the next incarnation with a higher address epoch and says so in the restart record', async () => {
    const sim = createSim({ seed: 1 });
    const epochs: number[] = [];
    sim.node('a', (ctx) => void epochs.push(ctx.addressEpoch));
    await sim.runFor(1);
    sim.restart('a');
    await sim.runFor(1);
    sim.restart('a', { newAddress: true });
    await sim.runFor(1);
    expect(epochs).toEqual([0, 0, 1]);
    expect(sim.getNode('a').addressEpoch).toBe(1);
    const restarts = eventsOf(sim.trace, 'restart');
    expect(restarts.map((r) => [r.incarnation, r.newAddress])).toEqual([
      [2, undefined],
      [3, true],
    ]);
    sim.dispose();
  });

  it('hashes a restart onto a new address differently from a plain one', async () => {
    const hash = async (newAddress: boolean) => {
      const sim = createSim({ seed: 1 });
      sim.node('a', () => {});
      await sim.runFor(1);
      sim.restart('a', { newAddress });
      await sim.runFor(1);
      const h = sim.traceHash();
      sim.dispose();
      return h;
    };
    expect(await hash(true)).not.toBe(await hash(false));
    expect(await hash(true)).toBe(await hash(true));
  });
});
