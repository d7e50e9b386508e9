import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError } from '../micro/errors.js';
import { createSim, type NodeContext, type Sim } from '../sim/index.js';
import { authNode } from './auth.js';
import { drive } from './driven.js';

let sim: Sim;
afterEach(() => sim?.dispose());

async function world() {
  sim = createSim({ seed: 13 });
  const node = authNode(sim, { secret: 'auth-fake-test-secret-32-bytes-long!!', accessTokenTtlMs: 60_000 });
  let app!: NodeContext;
  sim.node('orders-1', (ctx) => {
    app = ctx;
  });
  await sim.runFor(0);
  const driven = drive(sim);
  return { auth: driven.wrap(node.client(app, { timeoutMs: 300 })), advance: driven.advance };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (isMicroError(e) ? e.code : String(e)),
  );

describe('auth fake on a simulated network', () => {
  it('cannot log in while partitioned from the auth node, and can after heal', async () => {
    const { auth } = await world();
    const { secret } = await auth.generate('orders', { type: 'service' });
    sim.net.partition(['orders-1'], ['auth']);
    expect(await code(auth.token({ id: 'orders', secret }))).toBe('TIMEOUT');
    sim.net.heal();
    expect(await code(auth.token({ id: 'orders', secret }))).toBe('ok');
  });

  it('expires tokens on the auth node clock, and keeps accounts across its crash', async () => {
    const { auth, advance } = await world();
    const { secret } = await auth.generate('ada');
    const token = await auth.token({ id: 'ada', secret });
    sim.crash('auth');
    sim.restart('auth');
    expect((await auth.inspect(token.accessToken)).id).toBe('ada');
    await advance(61_000);
    expect(await code(auth.inspect(token.accessToken))).toBe('UNAUTHORIZED');
    expect(await code(auth.token({ id: 'ada', secret }))).toBe('ok');
  });
});
