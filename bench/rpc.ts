// `npm run bench -- rpc`: sequential request/response throughput of Microcosm's RPC against
// Moleculer 0.14, measured in the same run with interleaved rounds:
//   (a) two simulated nodes (virtual network) vs Moleculer's in-memory `Fake` transporter;
//   (b) real TCP on loopback vs Moleculer's TCP transporter (with p50/p99 latency); a short
//       diagnostic phase also times the TCP transport alone (frame echo, no RPC core).
// Prints `sim ratio vs moleculer-fake: X`, `tcp ratio vs moleculer-tcp: Y` (ours ÷ theirs),
// then `ratio: Y` and, last, `rpc: N calls/s` (our TCP figure).
import { createService, MemoryRegistry, type MicroService, silentLogger } from '@microcosm-ts/core';
import { tcpTransport } from '@microcosm-ts/core/plugins/tcp';
import { createSim, serveRegistry, simRegistry, simTransport } from '@microcosm-ts/core/sim';
import { compare, cpu, latency, type Plan, rate, type System } from './_rpc-measure.js';
import { moleculerFake, moleculerTcp } from './_rpc-moleculer.js';

const PLAN: Plan = { warmupMs: 500, rounds: 4, roundMs: 750 };
const SIM_BATCH = 100;

class Greeter {
  async Hello(request: { name: string }): Promise<{ message: string }> {
    return { message: `Hello ${request.name}` };
  }
}

/** Two services on real TCP loopback sockets, discovering each other through a memory registry. */
async function microcosmTcp(): Promise<System & { stop(): Promise<void> }> {
  const registry = new MemoryRegistry();
  const common = { registry, logger: silentLogger } as const;
  const greeter = createService({
    ...common,
    name: 'greeter',
    transport: tcpTransport(),
    server: { address: '127.0.0.1:0' },
  });
  greeter.handle('Greeter', new Greeter());
  const caller = createService({ ...common, name: 'caller', transport: tcpTransport() });
  await greeter.start();
  return {
    name: 'microcosm-tcp',
    call: () => caller.client.call('greeter', 'Greeter.Hello', { name: 'Ada' }),
    stop: async () => {
      await caller.stop();
      await greeter.stop();
    },
  };
}

/**
 * Two simulated nodes (plus the registry node they discover each other through), 1 ms links.
 * A workload of SIM_BATCH sequential calls runs inside the simulation per `settle`, as a
 * scenario's workload does; virtual time is free, so the figure is the wall-clock cost of a
 * simulated call (entering and leaving the kernel for every single call costs about 2× more).
 */
async function microcosmSim(): Promise<System & { stop(): void }> {
  const sim = createSim({ seed: 1 });
  sim.net.latency('*', '*', { type: 'constant', ms: 1 });
  sim.node('registry', (ctx) => {
    serveRegistry(ctx);
  });
  const plugins = (ctx: Parameters<typeof simTransport>[0] & Parameters<typeof simRegistry>[0]) => ({
    runtime: ctx.runtime,
    registry: simRegistry(ctx),
    transport: simTransport(ctx),
    logger: silentLogger,
  });
  sim.node('greeter', async (ctx) => {
    await createService({ name: 'greeter', ...plugins(ctx) })
      .handle('Greeter', new Greeter())
      .start();
  });
  let caller!: MicroService;
  sim.node('caller', (ctx) => {
    caller = createService({ name: 'caller', ...plugins(ctx) });
  });
  await sim.runFor(100);
  const workload = async () => {
    for (let i = 0; i < SIM_BATCH; i++) await caller.client.call('greeter', 'Greeter.Hello', { name: 'Ada' });
  };
  return { name: 'microcosm-sim', batch: SIM_BATCH, call: () => sim.settle(workload()), stop: () => sim.dispose() };
}

async function simPart(): Promise<void> {
  const ours = await microcosmSim();
  const theirs = await moleculerFake();
  try {
    const [us, them] = await compare(ours, { name: 'moleculer-fake', call: () => theirs.call('Ada') }, PLAN);
    console.log(`sim: microcosm ${rate(us)} (${cpu(us)}, ${SIM_BATCH} sequential calls per settle)`);
    console.log(`sim: moleculer-fake ${rate(them)} (${cpu(them)})`);
    console.log(`sim ratio vs moleculer-fake: ${(us.perSecond / them.perSecond).toFixed(2)}`);
  } finally {
    ours.stop();
    await theirs.stop();
  }
}

/**
 * Diagnostic, not the headline: the transport alone (one frame out, one echoed back, no RPC core
 * above it), so a reader can see how much of a call the wire costs.
 */
async function frameEcho(): Promise<System & { stop(): Promise<void> }> {
  const transport = tcpTransport();
  const listener = await transport.listen('127.0.0.1:0', (c) => c.onFrame((frame) => c.send(frame)));
  const connection = await transport.dial(listener.address);
  let wake: (() => void) | undefined;
  connection.onFrame(() => wake?.());
  const frame = {
    header: { t: 'open', id: '1', svc: 'greeter', ep: 'Greeter.Hello' },
    body: Buffer.from('{"name":"Ada"}'),
  };
  return {
    name: 'tcp-frames',
    call: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        connection.send(frame);
      }),
    stop: async () => {
      await listener.close();
      await transport.close();
    },
  };
}

async function tcpPart(): Promise<number> {
  const ours = await microcosmTcp();
  const theirs = await moleculerTcp();
  const frames = await frameEcho();
  try {
    const moleculer = { name: 'moleculer-tcp', call: () => theirs.call('Ada') };
    const [wire, them0] = await compare(frames, moleculer, { warmupMs: 200, rounds: 2, roundMs: 400 });
    console.log(
      `tcp: transport alone (frame echo, no RPC core) ${rate(wire)} (${latency(wire)}, ${cpu(wire)}), ` +
        `${(wire.perSecond / them0.perSecond).toFixed(2)}× moleculer-tcp`,
    );
    const [us, them] = await compare(ours, moleculer, PLAN);
    console.log(`tcp: microcosm ${rate(us)} (${latency(us)}, ${cpu(us)})`);
    console.log(`tcp: moleculer-tcp ${rate(them)} (${latency(them)}, ${cpu(them)})`);
    const ratio = us.perSecond / them.perSecond;
    console.log(`tcp ratio vs moleculer-tcp: ${ratio.toFixed(2)}`);
    console.log(`ratio: ${ratio.toFixed(2)}`);
    return us.perSecond;
  } finally {
    await ours.stop();
    await theirs.stop();
    await frames.stop();
  }
}

await simPart();
const tcp = await tcpPart();
console.log(`rpc: ${Math.round(tcp)} calls/s`);
