import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError } from '../errors.js';
import type { CallContext } from '../metadata/context.js';
import { type TestWorld, testWorld } from '../testing/world.js';
import { memoryAuth } from './memory.js';
import { accountOf, authClientWrapper, authHandlerWrapper } from './wrappers.js';

class Orders {
  async Create(_request: { item: string }, context: CallContext) {
    return { createdBy: accountOf(context)?.id ?? 'anonymous' };
  }
}
class Health {
  async Check() {
    return { ok: true };
  }
}

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

async function shop() {
  const world = testWorld();
  worlds.push(world);
  const auth = memoryAuth({
    secret: 'wrapper-test-secret-that-is-32-bytes-long',
    runtime: world.runtime,
    accessTokenTtlMs: 60_000,
    rules: [
      { id: 'public-health', scope: '', resource: { service: 'orders', endpoint: 'Health.*' }, access: 'grant' },
      { id: 'order-takers', scope: 'orders', resource: { service: 'orders', endpoint: 'Orders.*' }, access: 'grant' },
    ],
  });
  await world.serve(
    'orders',
    { Orders: new Orders(), Health: new Health() },
    { handlerWrappers: [authHandlerWrapper(auth)] },
  );
  /** A caller whose every call carries the token `token()` returns. */
  const caller = (token: () => string | undefined) =>
    world.service({ name: `caller-${worlds.length}`, clientWrappers: [authClientWrapper(token)] }).client;
  const login = async (id: string, scopes: string[]) => {
    const { secret } = await auth.generate(id, { scopes });
    return (await auth.token({ id, secret })).accessToken;
  };
  return { world, caller, login };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'succeeded',
    (e: unknown) => (isMicroError(e) ? e.code : String(e)),
  );

describe('auth wrappers on a real call path', () => {
  it('lets a caller with the right scope in, and the handler sees its account', async () => {
    const { caller, login } = await shop();
    const token = await login('ada', ['orders']);
    expect(await caller(() => token).call('orders', 'Orders.Create', { item: 'tea' })).toEqual({ createdBy: 'ada' });
  });

  it('answers UNAUTHORIZED without a token and FORBIDDEN to an account no rule grants', async () => {
    const { caller, login } = await shop();
    expect(await failure(caller(() => undefined).call('orders', 'Orders.Create', { item: 'tea' }))).toBe(
      'UNAUTHORIZED',
    );
    const token = await login('bob', ['reports']);
    expect(await failure(caller(() => token).call('orders', 'Orders.Create', { item: 'tea' }))).toBe('FORBIDDEN');
  });

  it('serves public endpoints to anonymous callers', async () => {
    const { caller } = await shop();
    expect(await caller(() => undefined).call('orders', 'Health.Check', {})).toEqual({ ok: true });
  });

  it('refuses a forged or expired token as UNAUTHORIZED, on virtual time', async () => {
    const { world, caller, login } = await shop();
    expect(await failure(caller(() => 'forged.token.here').call('orders', 'Health.Check', {}))).toBe('UNAUTHORIZED');
    const token = await login('ada', ['orders']);
    const client = caller(() => token);
    expect(await client.call('orders', 'Orders.Create', { item: 'tea' })).toEqual({ createdBy: 'ada' });
    await world.runtime.advance(60_000);
    expect(await failure(client.call('orders', 'Orders.Create', { item: 'tea' }))).toBe('UNAUTHORIZED');
  });
});
