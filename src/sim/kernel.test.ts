import { describe, expect, it } from 'vitest';
import { isSimError } from './errors.js';
import { createSim } from './kernel.js';
import { eventsOf } from './trace.js';

describe('running virtual time', () => {
  it('runFor advances exactly, running due events in (time, sequence) order', async () => {
    const sim = createSim({ seed: 1 });
    const log: string[] = [];
    sim.schedule(20, () => log.push('b@20'));
    sim.schedule(10, () => log.push('a@10'));
    sim.schedule(20, () => log.push('c@20'));
    sim.schedule(31, () => log.push('d@31'));
    await sim.runFor(30);
    expect(log).toEqual(['a@10', 'b@20', 'c@20']);
    expect(sim.now).toBe(30);
    await sim.runFor(1);
    expect(log).toEqual(['a@10', 'b@20', 'c@20', 'd@31']);
  });

  it('rounds event times up to the resolution, so one instant shares one hop', async () => {
    const sim = createSim({ seed: 1, resolutionMs: 10 });
    const times: number[] = [];
    sim.node('n', (ctx) => {
      for (const ms of [1, 4, 9, 10, 11]) ctx.runtime.timers.setTimeout(() => times.push(sim.now), ms);
    });
    await sim.runFor(100);
    expect(times).toEqual([10, 10, 10, 10, 20]);
    expect(sim.stats.instants).toBe(3); // boot@0, 10, 20
  });

  it('lets async code reach its next await before the next event, and drains fully per instant', async () => {
    const sim = createSim({ seed: 1 });
    const log: string[] = [];
    sim.node('a', (ctx) => {
      ctx.on('default', async () => {
        log.push('handler start');
        await null;
        log.push('handler after one await');
        for (let i = 0; i < 20; i++) await null;
        log.push('handler after many awaits');
      });
    });
    sim.node('b', () => {});
    await sim.exec('b', (ctx) => {
      ctx.send('a', 1);
    });
    sim.schedule(1, () => log.push('next event at the same instant'));
    sim.schedule(2, () => log.push('next instant'));
    await sim.runFor(5);
    expect(log).toEqual([
      'handler start',
      'handler after one await',
      'next event at the same instant',
      'handler after many awaits',
      'next instant',
    ]);
  });

  it('step runs one instant at a time and says when nothing is left', async () => {
    const sim = createSim({ seed: 1 });
    const log: number[] = [];
    sim.schedule(5, () => log.push(5));
    sim.schedule(5, () => log.push(5));
    sim.schedule(9, () => log.push(9));
    expect(await sim.step()).toBe(true);
    expect(log).toEqual([5, 5]);
    expect(sim.now).toBe(5);
    expect(await sim.step()).toBe(true);
    expect(await sim.step()).toBe(false);
    expect(sim.now).toBe(9);
  });

  it('runUntil stops as soon as the predicate holds after an instant', async () => {
    const sim = createSim({ seed: 1 });
    let count = 0;
    sim.node('n', (ctx) => void ctx.runtime.timers.setInterval(() => count++, 10));
    await sim.runUntil(() => count === 3);
    expect(sim.now).toBe(30);
  });

  it('runUntil rejects clearly at its limit, and when nothing is left to run', async () => {
    const sim = createSim({ seed: 1 });
    sim.node('n', (ctx) => void ctx.runtime.timers.setInterval(() => {}, 10));
    await expect(sim.runUntil(() => false, { limitMs: 100 })).rejects.toThrow(
      'runUntil: still not done after 100 virtual ms (now 100 ms)',
    );
    const idle = createSim({ seed: 1 });
    await expect(idle.runUntil(() => false)).rejects.toThrow(/nothing is left to run/);
  });

  it('settle returns the promise’s value, rethrows its error, and rejects at the limit', async () => {
    const sim = createSim({ seed: 1 });
    const resolveAfter = (ms: number) =>
      new Promise<number>((resolve) => sim.schedule(sim.now + ms, () => resolve(ms)));
    expect(await sim.settle(resolveAfter(40))).toBe(40);
    expect(sim.now).toBe(40);
    await expect(sim.settle(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(sim.settle(resolveAfter(500), { limitMs: 100 })).rejects.toThrow(/settle: still not done after 100/);
  });

  it('an awaited exec drives the simulation; an unawaited one waits for the next run', async () => {
    const sim = createSim({ seed: 1 });
    sim.node('n', () => {});
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const name = await sim.exec('n', async (ctx) => {
      await sleep(25);
      return ctx.name;
    });
    expect(name).toBe('n');
    expect(sim.now).toBe(25);
    const later = sim.exec('n', async () => {
      await sleep(10);
      return sim.now;
    });
    await sim.runFor(50);
    expect(await later).toBe(35);
  });

  it('never moves time backwards: scheduling in the past is an error', async () => {
    const sim = createSim({ seed: 1 });
    await sim.runFor(10);
    expect(() => sim.schedule(5, () => {})).toThrow('schedule: atMs 5 is in the past (now is 10 ms)');
  });
});

describe('failure', () => {
  it('a loop that never lets time advance is stopped by the livelock guard', async () => {
    const sim = createSim({ seed: 1, maxEventsPerInstant: 1000 });
    sim.node('spin', (ctx) => {
      ctx.on('default', () => ctx.send('spin', 'again'));
      ctx.send('spin', 'go');
    });
    sim.net.latency('spin', 'spin', { type: 'constant', ms: 0 });
    const error = await sim.runFor(10).catch((e: unknown) => e);
    expect(isSimError(error) && error.code).toBe('LIVELOCK');
    expect(String(error)).toContain('more than 1000 events at virtual time 0 ms');
  });

  it('many nodes booting in one instant are no livelock: only events added during the instant count', async () => {
    const sim = createSim({ seed: 1, maxEventsPerInstant: 100 });
    let booted = 0;
    for (let i = 0; i < 500; i++) sim.node(`n${i}`, () => void booted++);
    await sim.runFor(1);
    expect(booted).toBe(500);
  });

  it('an error thrown by node code fails the run, naming the node and what it was doing', async () => {
    const sim = createSim({ seed: 1 });
    sim.node('bad', (ctx) => {
      ctx.on('default', async () => {
        await null;
        throw new Error('handler broke');
      });
    });
    sim.node('c', (ctx) => ctx.send('bad', 1));
    await expect(sim.runFor(10)).rejects.toThrow(
      'node "bad" (incarnation 1) threw while handling a message on port "default" at virtual time 1 ms: handler broke',
    );
    expect(eventsOf(sim.trace, 'error')).toHaveLength(1);
  });

  it('a second run while one is in progress is refused', async () => {
    const sim = createSim({ seed: 1 });
    sim.schedule(10, () => {});
    const first = sim.runFor(20);
    await expect(sim.runFor(5)).rejects.toThrow(/already running/);
    await first;
  });

  it('a disposed simulation refuses to be used, with a clear error', async () => {
    const sim = createSim({ seed: 1 });
    sim.node('a', () => {});
    sim.dispose();
    await expect(sim.runFor(1)).rejects.toThrow('runFor: this simulation was disposed');
    expect(() => sim.node('b', () => {})).toThrow('node: this simulation was disposed');
    expect(() => sim.crash('a')).toThrow('crash: this simulation was disposed');
    expect(() => sim.net.loss('a', 'a', 0)).toThrow('net.loss: this simulation was disposed');
    expect(sim.disposed).toBe(true);
  });

  it.each([
    ['no seed', () => createSim({} as never), /seed must be a finite number or a string/],
    ['zero resolution', () => createSim({ seed: 1, resolutionMs: 0 }), /resolutionMs must be > 0/],
    ['bad livelock guard', () => createSim({ seed: 1, maxEventsPerInstant: 0 }), /maxEventsPerInstant/],
  ])('createSim with %s throws a clear error', (_name, act, message) => {
    expect(act).toThrow(message);
  });

  it('unknown nodes and duplicate names are clear errors', () => {
    const sim = createSim({ seed: 1 });
    sim.node('a', () => {});
    expect(() => sim.crash('b')).toThrow('crash: unknown node "b" (known: a)');
    expect(() => sim.exec('b', () => {})).toThrow('exec: unknown node "b"');
    expect(() => sim.node('a', () => {})).toThrow('a node named "a" already exists');
    expect(() => sim.drift('a', 0)).toThrow('drift(a): rate must be > 0');
  });
});

describe('trace', () => {
  it('records every kind of event with time and node, and custom records', async () => {
    const sim = createSim({ seed: 1 });
    sim.node('a', (ctx) => {
      ctx.record({ type: 'started', role: 'leader' });
      ctx.runtime.timers.setTimeout(() => ctx.send('b', 'x'), 2);
    });
    sim.node('b', (ctx) => void ctx.on('default', () => {}));
    await sim.runFor(1);
    sim.net.partition(['a'], ['b']);
    sim.net.heal();
    sim.pause('b');
    sim.resume('b');
    sim.skew('a', 3);
    await sim.runFor(5);
    const types = sim.trace.map((e) => `${e.type}${e.node ? `:${e.node}` : ''}@${e.time}`);
    expect(types).toEqual([
      'boot:a@0',
      'started:a@0',
      'boot:b@0',
      'partition@1',
      'heal@1',
      'pause:b@1',
      'resume:b@1',
      'skew:a@1',
      'timer:a@2',
      'send:a@2',
      'deliver:b@3',
    ]);
    expect(sim.trace[1]).toEqual({ seq: 1, time: 0, node: 'a', type: 'started', role: 'leader', custom: true });
    expect(sim.traceHash()).toMatch(/^[0-9a-f]{16}$/);
    await expect(sim.exec('a', (ctx) => ctx.record({ type: 'send' }))).rejects.toThrow(
      'record: type "send" is a built-in trace type',
    );
  });
});
