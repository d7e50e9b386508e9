import { describe, expect, it } from 'vitest';
import { deliver, drop, pass } from './faults.js';
import { createSim } from './kernel.js';
import { eventsOf } from './trace.js';
import type { Sim } from './types.js';

/** A world of named nodes that log every message they receive as `payload@time`. */
function world(names: string[], seed: number | string = 1) {
  const sim = createSim({ seed });
  const inbox = new Map<string, string[]>();
  for (const name of names) {
    inbox.set(name, []);
    sim.node(name, (ctx) => {
      ctx.on('default', (m) => void inbox.get(name)!.push(`${String(m.payload)}@${sim.now}`));
    });
  }
  const send = (from: string, to: string, payload: unknown, size?: number) =>
    sim.exec(from, (ctx) => ctx.send(to, payload, size === undefined ? {} : { size }));
  return { sim, inbox: (name: string) => inbox.get(name)!, send };
}

const drops = (sim: Sim) => eventsOf(sim.trace, 'drop').map((d) => `${d.from}->${d.to}:${d.reason}`);

describe('latency', () => {
  it('delivers after the default 1 ms', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    await send('a', 'b', 'hi');
    await sim.runFor(10);
    expect(inbox('b')).toEqual(['hi@1']);
  });

  it('uses the most specific setting: link over sender over default', async () => {
    const { sim, inbox, send } = world(['a', 'b', 'c']);
    sim.net.latency('*', '*', { type: 'constant', ms: 50 });
    sim.net.latency('a', '*', { type: 'constant', ms: 20 });
    sim.net.latency('a', 'b', { type: 'constant', ms: 5 });
    await send('a', 'b', 'ab');
    await send('a', 'c', 'ac');
    await send('b', 'c', 'bc');
    await sim.runFor(100);
    expect(inbox('b')).toEqual(['ab@5']);
    expect(inbox('c')).toEqual(['ac@20', 'bc@50']);
  });

  it('draws uniform latencies inside their bounds and keeps a link FIFO', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.latency('a', 'b', { type: 'uniform', min: 10, max: 30 });
    for (let i = 0; i < 50; i++) await send('a', 'b', i);
    await sim.runFor(100);
    const got = inbox('b').map((s) => s.split('@').map(Number) as [number, number]);
    expect(got.map(([p]) => p)).toEqual([...Array(50).keys()]);
    for (const [, t] of got) expect(t).toBeGreaterThanOrEqual(10);
    expect(Math.max(...got.map(([, t]) => t))).toBeLessThanOrEqual(30);
  });

  it('gives normal and pareto latencies the right shape', async () => {
    const { sim, send } = world(['a', 'b', 'c']);
    sim.net.latency('a', 'b', { type: 'normal', mean: 100, stddev: 10 });
    sim.net.latency('a', 'c', { type: 'pareto', scale: 10, shape: 1.5 });
    sim.net.reorder('a', '*', 1, 0); // no FIFO clamp, so each arrival shows its own draw
    for (let i = 0; i < 400; i++) {
      await send('a', 'b', i);
      await send('a', 'c', i);
    }
    await sim.runFor(100_000);
    const delivered = eventsOf(sim.trace, 'deliver');
    const sent = new Map(eventsOf(sim.trace, 'send').map((s) => [s.id, s.time]));
    const latency = (to: string) => delivered.filter((d) => d.to === to).map((d) => d.time - sent.get(d.id)!);
    const normal = latency('b');
    const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
    expect(mean).toBeGreaterThan(97);
    expect(mean).toBeLessThan(103);
    const pareto = latency('c').sort((x, y) => x - y);
    expect(pareto[0]).toBeGreaterThanOrEqual(10);
    expect(pareto[pareto.length - 1]).toBeGreaterThan(100); // a long tail
  });

  it('serialises big messages behind each other on a slow link', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.bandwidth('a', 'b', 1000); // 1 byte per ms
    await send('a', 'b', 'first', 100);
    await send('a', 'b', 'second', 50);
    await sim.runFor(1000);
    expect(inbox('b')).toEqual(['first@101', 'second@151']);
  });
});

describe('loss, duplication, reordering', () => {
  it('loses every message at p = 1 and none at p = 0', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.loss('a', 'b', 1);
    await send('a', 'b', 'lost');
    await send('b', 'a', 'kept');
    await sim.runFor(10);
    expect(inbox('b')).toEqual([]);
    expect(inbox('a')).toEqual(['kept@1']);
    expect(drops(sim)).toEqual(['a->b:loss']);
  });

  it('loses about p of the messages', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.loss('a', 'b', 0.3);
    for (let i = 0; i < 1000; i++) await send('a', 'b', i);
    await sim.runFor(10);
    expect(inbox('b').length).toBeGreaterThan(630);
    expect(inbox('b').length).toBeLessThan(770);
  });

  it('duplicates at p = 1: each message arrives twice, traced once as a duplicate', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.duplicate('a', 'b', 1);
    await send('a', 'b', 'x');
    await sim.runFor(10);
    expect(inbox('b')).toEqual(['x@1', 'x@1']);
    expect(eventsOf(sim.trace, 'duplicate')).toHaveLength(1);
  });

  it('reorders: with the fault on, later messages can overtake earlier ones', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.reorder('a', 'b', 0.5, 20);
    for (let i = 0; i < 20; i++) await send('a', 'b', i);
    await sim.runFor(100);
    const order = inbox('b').map((s) => Number(s.split('@')[0]));
    expect(order).toHaveLength(20);
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });
});

describe('partitions', () => {
  it('symmetric: nothing crosses either way; heal restores both ways', async () => {
    const { sim, inbox, send } = world(['a', 'b', 'c']);
    sim.net.partition(['a'], ['b', 'c']);
    await send('a', 'b', 1);
    await send('c', 'a', 2);
    await send('b', 'c', 3); // same side
    await sim.runFor(10);
    expect(inbox('b')).toEqual([]);
    expect(inbox('a')).toEqual([]);
    expect(inbox('c')).toEqual(['3@1']);
    sim.net.heal();
    await send('a', 'b', 4);
    await sim.runFor(10);
    expect(inbox('b')).toEqual(['4@11']);
    expect(drops(sim)).toEqual(['a->b:partition', 'c->a:partition']);
  });

  it('asymmetric: A -> B delivers, B -> A drops', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.partitionOneWay(['b'], ['a']);
    await send('a', 'b', 'a-to-b');
    await send('b', 'a', 'b-to-a');
    await sim.runFor(10);
    expect(inbox('b')).toEqual(['a-to-b@1']);
    expect(inbox('a')).toEqual([]);
    expect(sim.net.linkState('a', 'b')).toBe('healthy');
    expect(sim.net.linkState('b', 'a')).toBe('partitioned');
  });

  it('isolate cuts one node off from everyone, both ways, but it still reaches itself', async () => {
    const { sim, inbox, send } = world(['a', 'b', 'c']);
    sim.net.isolate('a');
    await send('a', 'b', 1);
    await send('c', 'a', 2);
    await send('a', 'a', 3);
    await send('b', 'c', 4);
    await sim.runFor(10);
    expect(inbox('a')).toEqual(['3@1']);
    expect(inbox('b')).toEqual([]);
    expect(inbox('c')).toEqual(['4@1']);
  });

  it('a message already in flight is delivered even if a partition starts after it left', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.latency('a', 'b', { type: 'constant', ms: 10 });
    await send('a', 'b', 'early');
    sim.net.partition(['a'], ['b']);
    await sim.runFor(20);
    expect(inbox('b')).toEqual(['early@10']);
  });
});

describe('hold and release', () => {
  it('holds a link’s messages, then delivers them in order on release', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    sim.net.hold('a', 'b');
    for (const p of ['one', 'two', 'three']) await send('a', 'b', p);
    await send('b', 'a', 'other way');
    await sim.runFor(50);
    expect(inbox('b')).toEqual([]);
    expect(inbox('a')).toEqual(['other way@1']);
    expect(sim.net.linkState('a', 'b')).toBe('held');
    sim.net.release('a', 'b');
    await sim.runFor(10);
    expect(inbox('b')).toEqual(['one@51', 'two@51', 'three@51']);
    expect(eventsOf(sim.trace, 'held')).toHaveLength(3);
  });
});

describe('fault rules', () => {
  it('apply in install order; the first non-pass verdict wins; uninstall removes one', async () => {
    const { sim, inbox, send } = world(['a', 'b']);
    const seen: string[] = [];
    sim.net.rule((m) => {
      seen.push(`first:${String(m.payload)}`);
      return m.payload === 'slow' ? deliver(40) : pass;
    });
    const remove = sim.net.rule((m) => {
      seen.push(`second:${String(m.payload)}`);
      return m.payload === 'slow' || m.payload === 'ok' ? pass : drop('rule-says-no');
    });
    await send('a', 'b', 'slow');
    await send('a', 'b', 'ok');
    await send('a', 'b', 'bad');
    await sim.runFor(50);
    expect(inbox('b')).toEqual(['ok@1', 'slow@40']);
    expect(seen).toEqual(['first:slow', 'first:ok', 'second:ok', 'first:bad', 'second:bad']);
    expect(drops(sim)).toEqual(['a->b:rule-says-no']);
    remove();
    await send('a', 'b', 'bad');
    await sim.runFor(5);
    expect(inbox('b')).toContain('bad@51');
  });
});

describe('bad network input', () => {
  const { sim } = world(['a', 'b']);
  it.each([
    ['negative latency', () => sim.net.latency('a', 'b', { type: 'constant', ms: -1 }), /latency ms must be/],
    ['uniform max < min', () => sim.net.latency('a', 'b', { type: 'uniform', min: 5, max: 1 }), /latency max/],
    ['loss above 1', () => sim.net.loss('a', 'b', 1.5), /loss\(a, b\): probability must be a number in 0\.\.1/],
    ['loss below 0', () => sim.net.loss('a', 'b', -0.1), /probability/],
    ['duplicate NaN', () => sim.net.duplicate('a', 'b', Number.NaN), /duplicate\(a, b\)/],
    ['zero bandwidth', () => sim.net.bandwidth('a', 'b', 0), /bytesPerSecond must be > 0/],
    ['unknown node in a link', () => sim.net.loss('a', 'zz', 0.1), /unknown node "zz" \(known: a, b\)/],
    ['partition of unknown nodes', () => sim.net.partition(['a'], ['ghost']), /partition: unknown node "ghost"/],
    ['empty partition group', () => sim.net.partition([], ['a']), /non-empty array/],
    ['isolate unknown', () => sim.net.isolate('nobody'), /isolate: unknown node "nobody"/],
  ])('%s throws a clear error', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
