import { afterEach, describe, expect, it } from 'vitest';
import { type TestWorld, testWorld } from '../testing/world.js';
import type { ClientRequest } from './types.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

async function greeterWorld() {
  const world = testWorld();
  worlds.push(world);
  const arrivals: string[] = [];
  await world.serve('greeter', {
    Greeter: {
      Hello: ({ name }: { name: string }) => {
        arrivals.push(name);
        return `hello ${name}`;
      },
    },
  });
  return { world, arrivals, client: world.service({ name: 'caller' }).client };
}

describe('per-call options are checked before the call leaves', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    [
      'timeoutMs NaN',
      { timeoutMs: Number.NaN },
      'timeoutMs must be a number of milliseconds in (0, 2147483647], got NaN',
    ],
    ['timeoutMs -1', { timeoutMs: -1 }, 'got -1'],
    [
      'timeoutMs ∞',
      { timeoutMs: Number.POSITIVE_INFINITY },
      'timeoutMs must be a number of milliseconds in (0, 2147483647], got Infinity',
    ],
    ['attemptTimeoutMs 0', { attemptTimeoutMs: 0 }, 'attemptTimeoutMs must be'],
    ['retries NaN', { retries: Number.NaN }, 'retries must be an integer >= 0, got NaN'],
    ['retries 1.5', { retries: 1.5 }, 'retries must be an integer >= 0, got 1.5'],
    ['deadline NaN', { deadline: Number.NaN }, 'deadline must be a finite number >= 0, got NaN'],
    ['backoff.baseMs -5', { backoff: { baseMs: -5 } }, 'backoff.baseMs must be a finite number >= 0, got -5'],
    ['strategy typo', { strategy: 'round-robbin' }, 'strategy must be one of random, round-robin'],
    ['metadata number', { metadata: { user: 7 } }, 'metadata.user must be a string, got 7'],
    ['address empty', { address: '' }, 'address must be a non-empty string, got ""'],
  ];
  for (const [what, options, detail] of bad) {
    it(`refuses ${what} with BAD_REQUEST naming the option and value`, async () => {
      const { client, arrivals } = await greeterWorld();
      const error = await client.call('greeter', 'Greeter.Hello', { name: 'ada' }, options).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
      expect((error as Error & { detail: string }).detail).toContain(detail);
      expect(arrivals).toEqual([]); // nothing was sent
    });
  }

  it('fails only the bad call: 20 healthy calls in flight beside it all succeed', async () => {
    const { world, client } = await greeterWorld();
    const healthy = Array.from({ length: 20 }, (_, i) => client.call('greeter', 'Greeter.Hello', { name: `n${i}` }));
    const bad = client.call('greeter', 'Greeter.Hello', { name: 'x' }, { timeoutMs: Number.NaN }).catch((e) => e);
    await world.runtime.advance(10);
    expect(await bad).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await Promise.all(healthy)).toEqual(Array.from({ length: 20 }, (_, i) => `hello n${i}`));
  });

  it('refuses bad options on streams too, and runs no wrapper for them', async () => {
    const world = testWorld();
    worlds.push(world);
    const seen: ClientRequest[] = [];
    const client = world.service({
      name: 'caller',
      clientWrappers: [
        (next) => (request) => {
          seen.push(request);
          return next(request);
        },
      ],
    }).client;
    await expect(client.stream('greeter', 'Greeter.Chat', { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const reading = client.serverStream('greeter', 'Greeter.List', {}, { retries: Number.NaN });
    await expect(reading[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(seen).toEqual([]);
  });
});
