import { afterEach, describe, expect, it } from 'vitest';
import { badRequest, unavailable } from '../errors.js';
import { type CallContext, remainingMs } from '../metadata/context.js';
import { sleep } from '../runtime.js';
import { type TestWorld, testWorld } from '../testing/world.js';
import type { RpcClient } from './client.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

function newWorld(): TestWorld {
  const world = testWorld();
  worlds.push(world);
  return world;
}

/** A handler that fails with `error` while `failing` is true, and records when each attempt arrived. */
class Flaky {
  failing = true;
  error: Error = unavailable('database connection lost');
  readonly arrivals: number[] = [];
  constructor(private readonly world: TestWorld) {}
  Do(): string {
    this.arrivals.push(this.world.runtime.clock.now());
    if (this.failing) throw this.error;
    return 'done';
  }
}

describe('retries', () => {
  it('retry a retryable error with growing, jittered backoff and stop at the limit', async () => {
    const world = newWorld();
    const flaky = new Flaky(world);
    await world.serve('flaky', { Flaky: flaky });
    const client = world.service({ name: 'caller' }).client;
    const outcome = client
      .call('flaky', 'Flaky.Do', {}, { retries: 3, backoff: { baseMs: 100, maxMs: 10_000 } })
      .catch((e: unknown) => e);
    await world.runtime.advance(5_000);
    expect(await outcome).toMatchObject({ code: 'UNAVAILABLE', detail: 'database connection lost' });
    expect(flaky.arrivals).toHaveLength(4); // the first try and three retries, no more
    const gaps = flaky.arrivals.slice(1).map((t, i) => t - flaky.arrivals[i]!);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(50 * 2 ** i); // at least half of base·2^i …
      expect(gap).toBeLessThanOrEqual(100 * 2 ** i); // … and at most all of it
    });
  });

  it('never retry a non-retryable error', async () => {
    const world = newWorld();
    const flaky = new Flaky(world);
    flaky.error = badRequest('name is required');
    await world.serve('flaky', { Flaky: flaky });
    const client = world.service({ name: 'caller' }).client;
    const outcome = client.call('flaky', 'Flaky.Do', {}, { retries: 5 }).catch((e: unknown) => e);
    await world.runtime.advance(5_000);
    expect(await outcome).toMatchObject({ code: 'BAD_REQUEST' });
    expect(flaky.arrivals).toHaveLength(1);
  });

  it('succeed once the callee recovers within the retry budget', async () => {
    const world = newWorld();
    const flaky = new Flaky(world);
    await world.serve('flaky', { Flaky: flaky });
    const client = world.service({ name: 'caller' }).client;
    const outcome = client.call('flaky', 'Flaky.Do', {}, { retries: 2, backoff: { baseMs: 100 } });
    await world.runtime.flush();
    flaky.failing = false;
    await world.runtime.advance(200);
    expect(await outcome).toBe('done');
    expect(flaky.arrivals).toHaveLength(2);
  });
});

describe('circuit breaker', () => {
  it('opens after N node failures, half-opens after the cool-down in virtual time, closes on success', async () => {
    const world = newWorld();
    const flaky = new Flaky(world);
    const server = await world.serve('flaky', { Flaky: flaky });
    const client = world.service({
      name: 'caller',
      client: { retries: 0, breaker: { failures: 3, cooldownMs: 1_000 } },
    }).client as RpcClient;
    const call = () => client.call('flaky', 'Flaky.Do', {}).catch((e: { code: string }) => e.code);
    const nodeId = server.server.registration!.nodes[0]!.id;

    for (let i = 0; i < 3; i++) expect(await call()).toBe('UNAVAILABLE');
    expect(client.breakers.state(nodeId).type).toBe('open');
    expect(await call()).toBe('UNAVAILABLE'); // refused by the breaker: the callee never sees it
    expect(flaky.arrivals).toHaveLength(3);

    await world.runtime.advance(999);
    expect(client.breakers.state(nodeId).type).toBe('open');
    await world.runtime.advance(1);
    expect(client.breakers.state(nodeId).type).toBe('half-open');
    expect(await call()).toBe('UNAVAILABLE'); // the one trial fails: open again
    expect(flaky.arrivals).toHaveLength(4);
    expect(client.breakers.state(nodeId).type).toBe('open');

    await world.runtime.advance(1_000);
    flaky.failing = false;
    expect(await call()).toBe('done'); // the trial succeeds: closed
    expect(client.breakers.state(nodeId)).toEqual({ type: 'closed', failures: 0 });
  });
});

/** Each hop waits `workMs`, records what its context says, then calls the next hop with its context. */
class Hop {
  readonly seen: Array<{ remaining: number | undefined; metadata: Record<string, string> }> = [];
  constructor(
    private readonly world: TestWorld,
    private readonly client: () => RpcClient,
    private readonly next: string | undefined,
    private readonly workMs = 100,
  ) {}
  async Call(_: unknown, context: CallContext): Promise<string> {
    this.seen.push({ remaining: remainingMs(context), metadata: { ...context.metadata } });
    await sleep(this.world.runtime, this.workMs, context.signal);
    if (this.next === undefined) return 'end';
    // An explicit, longer timeout cannot stretch the caller's deadline.
    return this.client().call(
      this.next,
      'Hop.Call',
      {},
      { context, timeoutMs: 60_000, metadata: { via: context.service } },
    );
  }
}

describe('deadlines and metadata', () => {
  it('shorten down a call chain, and metadata flows through every nested call', async () => {
    const world = newWorld();
    const clients: Record<string, RpcClient> = {};
    const hops = {
      a: new Hop(world, () => clients.a!, 'b'),
      b: new Hop(world, () => clients.b!, 'c'),
      c: new Hop(world, () => clients.c!, undefined),
    };
    for (const [name, hop] of Object.entries(hops)) {
      clients[name] = (await world.serve(name, { Hop: hop })).client as RpcClient;
    }
    const caller = world.service({ name: 'edge' }).client;
    const outcome = caller.call('a', 'Hop.Call', {}, { timeoutMs: 1_000, metadata: { user: 'ada' } });
    await world.runtime.advance(300);
    expect(await outcome).toBe('end');
    expect([hops.a.seen[0]?.remaining, hops.b.seen[0]?.remaining, hops.c.seen[0]?.remaining]).toEqual([
      1_000, 900, 800,
    ]);
    expect(hops.c.seen[0]?.metadata).toEqual({ user: 'ada', via: 'b' });
  });

  it('time a call out at its deadline and cancel the work it started', async () => {
    const world = newWorld();
    let aborted: unknown;
    const slow = {
      async Work(_: unknown, context: CallContext) {
        context.signal.addEventListener('abort', () => {
          aborted = context.signal.reason;
        });
        await sleep(world.runtime, 10_000, context.signal);
        return 'too late';
      },
    };
    const server = await world.serve('slow', { Slow: slow });
    const client = world.service({ name: 'caller' }).client;
    const outcome = client.call('slow', 'Slow.Work', {}, { timeoutMs: 500, retries: 0 }).catch((e: unknown) => e);
    await world.runtime.advance(499);
    expect(aborted).toBeUndefined();
    await world.runtime.advance(1);
    expect(await outcome).toMatchObject({ code: 'TIMEOUT' });
    expect(aborted).toBeDefined();
    await world.runtime.flush();
    expect(server.server.inFlight).toBe(0);
  });

  it('reject bad client options naming the property', () => {
    const world = newWorld();
    expect(() => world.service({ name: 'x', client: { retries: -1 } })).toThrow(
      /retries must be an integer >= 0, got -1/,
    );
    expect(() => world.service({ name: 'x', client: { contentType: 'text/csv' } })).toThrow(
      /unknown content type 'text\/csv'/,
    );
  });
});

describe('cancellation', () => {
  it('stops a call waiting to retry when its signal aborts, with a typed CANCELLED', async () => {
    const world = newWorld();
    const flaky = new Flaky(world);
    await world.serve('flaky', { Flaky: flaky });
    const client = world.service({ name: 'caller' }).client;
    const abort = new AbortController();
    const outcome = client
      .call('flaky', 'Flaky.Do', {}, { retries: 5, backoff: { baseMs: 1_000 }, signal: abort.signal })
      .catch((e: unknown) => e);
    await world.runtime.advance(100); // the first attempt failed; the retry waits
    abort.abort();
    expect(await outcome).toMatchObject({ code: 'CANCELLED' });
    expect(flaky.arrivals).toHaveLength(1);
  });

  it('stops a nested call when its parent call is cancelled, without the parent context making a signal', async () => {
    const world = newWorld();
    const slow = { Wait: () => sleep(world.runtime, 1_000) };
    await world.serve('leaf', { Leaf: slow });
    let readSignal = false;
    let nested: Promise<unknown> | undefined;
    const middle = {
      Call(_: unknown, context: CallContext) {
        const watched = new Proxy(context, {
          get(target, property) {
            if (property === 'signal') readSignal = true;
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
        nested = middleClient.call('leaf', 'Leaf.Wait', {}, { context: watched, retries: 0 }).catch((e: unknown) => e);
        return nested;
      },
    };
    const middleClient = (await world.serve('middle', { Middle: middle })).client;
    const abort = new AbortController();
    const outcome = world
      .service({ name: 'edge' })
      .client.call('middle', 'Middle.Call', {}, { timeoutMs: 10_000, retries: 0, signal: abort.signal })
      .catch((e: unknown) => e);
    await world.runtime.advance(10);
    abort.abort();
    expect(await outcome).toMatchObject({ code: 'CANCELLED' });
    await world.runtime.advance(10);
    expect(await nested).toMatchObject({ code: 'CANCELLED' });
    expect(readSignal).toBe(false);
    await world.runtime.advance(1_000); // let the leaf finish before the world stops
  });
});
