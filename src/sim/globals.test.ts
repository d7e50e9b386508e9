import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { DeterminismViolationError, isSimError } from './errors.js';
import { createSim } from './kernel.js';
import { eventsOf } from './trace.js';

const realSetTimeout = globalThis.setTimeout;
const realDate = globalThis.Date;
const realRandom = Math.random;

function expectRealGlobals() {
  expect(globalThis.setTimeout).toBe(realSetTimeout);
  expect(globalThis.Date).toBe(realDate);
  expect(Math.random).toBe(realRandom);
  expect(Object.hasOwn(performance, 'now')).toBe(false);
  expect(Object.hasOwn(globalThis.crypto, 'randomUUID')).toBe(false);
}

describe('global virtualisation', () => {
  it('drives service code’s setTimeout, setInterval, setImmediate and Date from virtual time', async () => {
    const sim = createSim({ seed: 1, startTime: Date.UTC(2030, 0, 1) });
    const log: string[] = [];
    sim.node('svc', () => {
      const started = Date.now();
      setTimeout(() => log.push(`timeout +${Date.now() - started} ${new Date().toISOString()}`), 1000);
      let ticks = 0;
      const interval = setInterval(() => {
        if (++ticks === 3) clearInterval(interval);
        log.push(`tick ${ticks} @${performance.now()}`);
      }, 300);
      setImmediate(() => log.push(`immediate @${sim.now}`));
      const cancelled = setTimeout(() => log.push('never'), 10);
      clearTimeout(cancelled);
    });
    await sim.runFor(5000);
    expect(log).toEqual([
      'immediate @0',
      'tick 1 @300',
      'tick 2 @600',
      'tick 3 @900',
      'timeout +1000 2030-01-01T00:00:01.000Z',
    ]);
    expect(eventsOf(sim.trace, 'timer').map((t) => t.node)).toEqual(Array(5).fill('svc'));
    expectRealGlobals();
  });

  it('Math.random and crypto.randomUUID are seeded: same seed, same draws', async () => {
    const draws = async (seed: number) => {
      const sim = createSim({ seed });
      sim.node('n', () => {});
      return sim.exec('n', () => [Math.random(), Math.random(), crypto.randomUUID()]);
    };
    const a = await draws(7);
    expect(await draws(7)).toEqual(a);
    expect(await draws(8)).not.toEqual(a);
    expect(a[2]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expectRealGlobals();
  });

  it('a node sees its own skewed clock through Date', async () => {
    const sim = createSim({ seed: 1, startTime: 0 });
    sim.node('a', () => {});
    sim.node('b', () => {});
    sim.skew('b', 60_000);
    expect(await sim.exec('a', () => Date.now())).toBe(0);
    expect(await sim.exec('b', () => Date.now())).toBe(60_000);
  });

  it('restores the real globals when a run throws, and on dispose', async () => {
    const sim = createSim({ seed: 1 });
    sim.node('bad', () => {
      setTimeout(() => {
        throw new Error('late failure');
      }, 5);
    });
    await expect(sim.runFor(10)).rejects.toThrow('late failure');
    expectRealGlobals();
    sim.dispose();
    expectRealGlobals();
  });

  it('timers of a crashed node’s global setTimeout never fire', async () => {
    const sim = createSim({ seed: 1 });
    const fired: number[] = [];
    sim.node('n', () => void setTimeout(() => fired.push(sim.now), 50));
    await sim.runFor(10);
    sim.crash('n');
    await sim.runFor(100);
    expect(fired).toEqual([]);
  });

  it('leaves vitest’s own timers working while the simulation runs', async () => {
    const sim = createSim({ seed: 1 });
    let pollerRan = false;
    sim.node('n', () => void setTimeout(() => {}, 1_000_000));
    await Promise.all([
      sim.runFor(1_000_000),
      vi.waitFor(() => {
        pollerRan = true;
      }),
    ]);
    expect(pollerRan).toBe(true);
    expectRealGlobals();
  });

  it('two simulations run interleaved keep their own clocks', async () => {
    const run = async (startTime: number) => {
      const sim = createSim({ seed: 1, startTime });
      const seen: number[] = [];
      sim.node('n', () => void setInterval(() => seen.push(Date.now() - startTime - sim.now), 1));
      await sim.runFor(200);
      return seen;
    };
    const [a, b] = await Promise.all([run(0), run(1e12)]);
    expect(a).toHaveLength(200);
    expect(new Set([...a, ...b])).toEqual(new Set([0]));
    expectRealGlobals(); // taking turns must not leave one sim's performance.now behind
  });
});

describe('real I/O inside a run', () => {
  it('a real socket throws a DeterminismViolationError and fails the run, even when the code catches it', async () => {
    const sim = createSim({ seed: 1 });
    let caught: unknown;
    sim.node('app', () => {
      try {
        net.connect(6379, '127.0.0.1');
      } catch (error) {
        caught = error;
      }
    });
    const run = await sim.runFor(10).catch((error: unknown) => error);
    sim.dispose();
    expect(caught).toBeInstanceOf(DeterminismViolationError);
    expect((caught as DeterminismViolationError).what).toBe('a real socket connect to 127.0.0.1:6379');
    expect(isSimError(run) && run.code).toBe('DETERMINISM_VIOLATION');
  });

  it('fetch is refused the same way, and both are real again once the run returns', async () => {
    const sim = createSim({ seed: 1 });
    let caught: unknown;
    sim.node('app', () => {
      try {
        void fetch('http://127.0.0.1:1/');
      } catch (error) {
        caught = error;
      }
    });
    await sim.runFor(10).catch(() => undefined);
    sim.dispose();
    expect(caught).toBeInstanceOf(DeterminismViolationError);
    const socket = net.connect(1, '127.0.0.1'); // real again: fails asynchronously, not with a violation
    await new Promise((resolve) => socket.once('error', resolve));
  });

  it("realIO: 'allow' is the one escape hatch", async () => {
    const sim = createSim({ seed: 1, realIO: 'allow' });
    let socket: net.Socket | undefined;
    sim.node('app', () => {
      socket = net.connect(1, '127.0.0.1');
      socket.on('error', () => {});
    });
    await sim.runFor(10);
    sim.dispose();
    expect(socket).toBeInstanceOf(net.Socket);
    expect(() => createSim({ seed: 1, realIO: 'sometimes' as never })).toThrow(/realIO/);
  });
});
