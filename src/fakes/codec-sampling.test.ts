import { describe, expect, it } from 'vitest';
import { Codecs } from '../micro/codec/codecs.js';
import { jsonCodec } from '../micro/codec/json.js';
import type { Codec } from '../micro/codec/types.js';
import { silentLogger } from '../micro/logger/index.js';
import { createService } from '../micro/service/service.js';
import type { MicroService } from '../micro/service/types.js';
import { createSim } from '../sim/kernel.js';
import type { NodeContext } from '../sim/types.js';
import type { CodecMode } from './codec-sampling.js';
import { serveRegistry, simRegistry } from './registry.js';
import { simTransport } from './transport.js';

/** A JSON codec with a bug: it drops the field `note` from every object it encodes. */
const droppingJson: Codec = {
  ...jsonCodec,
  encode: (value) =>
    jsonCodec.encode(
      typeof value === 'object' && value !== null && 'note' in value ? { ...value, note: undefined } : value,
    ),
};

/**
 * A caller and an `Echo` service on two sim nodes; the handler records what it was handed and
 * answers with it. `calls(requests)` makes the calls in order and returns the replies.
 */
async function echoWorld(options: { codec?: CodecMode; codecs?: Codecs; seed?: number } = {}) {
  const sim = createSim({ seed: options.seed ?? 1 });
  sim.net.latency('*', '*', { type: 'constant', ms: 1 });
  const seen: unknown[] = [];
  const plugins = (ctx: NodeContext) => ({
    runtime: ctx.runtime,
    registry: simRegistry(ctx),
    transport: simTransport(ctx, options.codec === undefined ? {} : { codec: options.codec }),
    logger: silentLogger,
    ...(options.codecs === undefined ? {} : { codecs: options.codecs }),
  });
  sim.node('registry', (ctx) => {
    serveRegistry(ctx);
  });
  sim.node('echo', async (ctx) => {
    const echo = {
      Echo: async (request: unknown) => {
        seen.push(request);
        return request;
      },
    };
    await createService({ name: 'echo', ...plugins(ctx) })
      .handle('Echo', echo)
      .start();
  });
  let caller!: MicroService;
  sim.node('caller', (ctx) => {
    caller = createService({ name: 'caller', ...plugins(ctx) });
  });
  await sim.runFor(100);
  const calls = async (requests: readonly unknown[]) => {
    const replies: unknown[] = [];
    for (const request of requests) replies.push(await caller.client.call('echo', 'Echo.Echo', request));
    return replies;
  };
  return { seen, calls: (requests: readonly unknown[]) => sim.settle(calls(requests)), dispose: () => sim.dispose() };
}

const notes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, note: `n${i}` }));

describe('the sim transport keeps codecs honest', () => {
  it('catches a codec that drops a field in the default mode, on the first call and every one after', async () => {
    const world = await echoWorld({ codecs: new Codecs([droppingJson]) });
    const replies = await world.calls(notes(50));
    world.dispose();
    expect(world.seen).toEqual(Array.from({ length: 50 }, (_, i) => ({ id: i })));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => ({ id: i })));
  });

  it("hands a handler what JSON gives once a sampled message shows the codec changes a Date ('sampled')", async () => {
    const world = await echoWorld();
    const when = new Date(0);
    await world.calls(Array.from({ length: 5 }, (_, i) => ({ id: i }))); // faithful: most now pass as values
    await world.calls(Array.from({ length: 200 }, (_, i) => ({ id: i, when })));
    world.dispose();
    const kinds = world.seen.slice(5).map((request) => typeof (request as { when: unknown }).when);
    const firstString = kinds.indexOf('string');
    // Before a sampled message runs the codec the Date crosses as a copy; from then on, as JSON text.
    expect(firstString).toBeGreaterThanOrEqual(0);
    expect(firstString).toBeLessThan(100);
    expect(kinds.slice(firstString).every((kind) => kind === 'string')).toBe(true);
    expect(kinds.slice(0, firstString).every((kind) => kind === 'object')).toBe(true);
  });

  it("runs the codec on every message with codec: 'always'", async () => {
    const world = await echoWorld({ codec: 'always' });
    const when = new Date(0);
    await world.calls(Array.from({ length: 5 }, (_, i) => ({ id: i })));
    const replies = await world.calls(Array.from({ length: 30 }, (_, i) => ({ id: i, when })));
    world.dispose();
    expect(world.seen.slice(5)).toEqual(Array.from({ length: 30 }, (_, i) => ({ id: i, when: when.toJSON() })));
    expect(replies).toEqual(world.seen.slice(5));
  });

  it('hands the receiver its own copy of a value that crossed without the codec', async () => {
    const world = await echoWorld();
    const sent = notes(20);
    const replies = await world.calls(sent);
    world.dispose();
    expect(replies).toEqual(sent);
    for (let i = 0; i < sent.length; i++) {
      expect(world.seen[i]).not.toBe(sent[i]);
      expect(replies[i]).not.toBe(world.seen[i]);
    }
  });

  it('refuses a codec mode it does not know, naming the option', () => {
    const sim = createSim({ seed: 1 });
    sim.node('n', () => {});
    const ctx = { name: 'n', runtime: { random: { next: () => 0 } }, send() {}, on: () => () => {} };
    expect(() => simTransport(ctx as never, { codec: 'never' as CodecMode })).toThrow(/codec must be one of/);
    expect(() => simTransport(ctx as never, { codecSampleRate: 2 })).toThrow(/codecSampleRate/);
    sim.dispose();
  });
});
