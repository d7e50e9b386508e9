import { afterEach, describe, expect, it } from 'vitest';
import { cancelled } from '../errors.js';
import type { CallContext } from '../metadata/context.js';
import { type TestWorld, testWorld } from '../testing/world.js';

/** A handler with every stream shape, and a record of how its streams ended. */
class Counter {
  produced = 0;
  readonly endings: string[] = [];

  /** Server streaming: `to` numbers, or forever when `to` is absent. */
  async *Count(request: { to?: number }, context: CallContext): AsyncGenerator<number> {
    try {
      for (let i = 1; request.to === undefined || i <= request.to; i++) {
        this.produced = i;
        yield i;
      }
    } finally {
      this.endings.push(`count ended, signal aborted=${context.signal.aborted}`);
    }
  }

  /** Client streaming. */
  async Sum(numbers: AsyncIterable<number>): Promise<number> {
    let total = 0;
    for await (const n of numbers) total += n;
    return total;
  }

  /** Bidirectional. */
  async *Shout(words: AsyncIterable<string>, context: CallContext): AsyncGenerator<string> {
    try {
      for await (const word of words) yield word.toUpperCase();
    } finally {
      this.endings.push(`shout ended, signal aborted=${context.signal.aborted}`);
    }
  }

  /** The server gives up on the stream after two values. */
  async *Quit(): AsyncGenerator<number> {
    yield 1;
    yield 2;
    throw cancelled('server is done with you');
  }
}

async function* from<T>(...values: T[]): AsyncGenerator<T> {
  for (const value of values) yield value;
}

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

async function setup(streamWindow = 4) {
  const world = testWorld();
  worlds.push(world);
  const counter = new Counter();
  const server = await world.serve('counter', { Counter: counter });
  const client = world.service({ name: 'caller', client: { streamWindow } }).client;
  return { world, counter, server, client, proxy: client.proxy<Counter>('counter', 'Counter') };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('streams', () => {
  it('stream from the server, to the server, and both ways, through the typed proxy', async () => {
    const { proxy } = await setup();
    const counted: number[] = [];
    for await (const n of proxy.Count({ to: 5 })) counted.push(n);
    expect(counted).toEqual([1, 2, 3, 4, 5]);
    expect(await proxy.Sum(from(1, 2, 3, 4))).toBe(10);
    const shouted: string[] = [];
    for await (const word of proxy.Shout(from('a', 'bc', 'd'))) shouted.push(word);
    expect(shouted).toEqual(['A', 'BC', 'D']);
  });

  it('hold a fast producer back until the consumer reads (back-pressure)', async () => {
    const { proxy, counter } = await setup(4);
    const iterator = proxy.Count({})[Symbol.asyncIterator]();
    for (let i = 0; i < 10; i++) await iterator.next();
    await settle();
    // Read 10; the server may be at most one window (4) plus the value it is blocked on ahead.
    expect(counter.produced).toBeGreaterThanOrEqual(10);
    expect(counter.produced).toBeLessThanOrEqual(10 + 4 + 1);
    await iterator.return?.();
  });

  it('end cleanly on both sides when the caller stops reading', async () => {
    const { proxy, counter, server } = await setup();
    for await (const n of proxy.Count({})) if (n === 3) break;
    await settle();
    expect(counter.endings).toEqual(['count ended, signal aborted=true']);
    expect(server.server.inFlight).toBe(0);
  });

  it('end cleanly on both sides when the caller aborts a bidirectional stream', async () => {
    const { proxy, counter, server } = await setup();
    const abort = new AbortController();
    const words = proxy.Shout(from('x', 'y'), { signal: abort.signal });
    const got: string[] = [];
    const reading = (async () => {
      for await (const word of words) {
        got.push(word);
        if (got.length === 1) abort.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED' });
    await settle();
    expect(got).toEqual(['X']);
    expect(counter.endings).toEqual(['shout ended, signal aborted=true']);
    expect(server.server.inFlight).toBe(0);
  });

  it('end cleanly on both sides when the server cancels', async () => {
    const { proxy, server } = await setup();
    const got: number[] = [];
    const reading = (async () => {
      for await (const n of proxy.Quit({})) got.push(n);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED', detail: 'server is done with you' });
    expect(got).toEqual([1, 2]);
    await settle();
    expect(server.server.inFlight).toBe(0);
  });

  it('let a client-streaming caller send, end and read the reply by hand', async () => {
    const { client } = await setup();
    const sum = await client.stream<number, number>('counter', 'Counter.Sum');
    for (const n of [5, 6, 7]) await sum.send(n);
    expect(await sum.response()).toBe(18);
  });
});
