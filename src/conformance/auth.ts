/**
 * authConformance: the executable contract of {@link Auth} (see `src/micro/auth/types.ts`):
 * accounts and tokens, expiry on the implementation's clock, refresh, and rule decisions
 * (deny by default, wildcards, scopes, priority).
 *
 *   authConformance('memory', async () => ({ subject: memoryAuth({ secret, runtime }), advance }));
 */
import { describe, expect } from 'vitest';
import type { Account, Auth, Resource } from '../micro/auth/types.js';
import { isMicroError, type MicroError } from '../micro/errors.js';
import { expectBadRequest } from './store.js';
import { announceUnsupported, type Factory, type Harness, itWhen, type Unsupported, using } from './support.js';

export type AuthCapability = 'virtualTime';

export interface AuthConformanceOptions {
  /** Capabilities this implementation does not offer, each with the reason. Default: none. */
  readonly unsupported?: Unsupported<AuthCapability>;
}

async function rejection(promise: Promise<unknown>): Promise<MicroError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isMicroError(error)) throw new Error(`expected a MicroError rejection, got ${String(error)}`);
  return error;
}

const orders = (endpoint: string): Resource => ({ service: 'orders', endpoint });

export function authConformance(name: string, factory: Factory<Auth>, options: AuthConformanceOptions = {}): void {
  const unsupported = options.unsupported ?? {};
  type Body = (auth: Auth, harness: Harness<Auth>) => Promise<void>;
  const declare = (flag?: AuthCapability) => (title: string, body: Body) =>
    itWhen(unsupported, flag)(title, () => using(factory, (h) => body(h.subject, h)));
  const plain = declare();
  const timed = declare('virtualTime');

  describe(`auth conformance: ${name}`, () => {
    announceUnsupported(`auth:${name}`, unsupported);

    describe('accounts and tokens', () => {
      plain('a generated account exchanges its secret for a token that inspects back to it', async (auth) => {
        const made = await auth.generate('ada', {
          scopes: ['orders:write'],
          metadata: { team: 'fulfilment', 名: 'ü' },
        });
        expect(made.secret.length).toBeGreaterThan(0);
        const token = await auth.token({ id: 'ada', secret: made.secret });
        expect(token.expiresAt).toBeGreaterThan(token.createdAt);
        const account = await auth.inspect(token.accessToken);
        expect(account).toEqual({
          id: 'ada',
          type: 'user',
          scopes: ['orders:write'],
          metadata: { team: 'fulfilment', 名: 'ü' },
        });
      });

      plain('a wrong secret or an unknown account is UNAUTHORIZED', async (auth) => {
        await auth.generate('svc', { type: 'service', secret: 's3cret' });
        expect((await rejection(auth.token({ id: 'svc', secret: 'guess' }))).code).toBe('UNAUTHORIZED');
        expect((await rejection(auth.token({ id: 'nobody', secret: 's3cret' }))).code).toBe('UNAUTHORIZED');
        const ok = await auth.token({ id: 'svc', secret: 's3cret' });
        expect((await auth.inspect(ok.accessToken)).type).toBe('service');
      });

      plain('garbage, tampered and refresh tokens do not inspect', async (auth) => {
        const { secret } = await auth.generate('ada');
        const token = await auth.token({ id: 'ada', secret });
        const [header, payload, signature] = token.accessToken.split('.');
        const forged = Buffer.from(JSON.stringify({ sub: 'root', use: 'access' })).toString('base64url');
        for (const bad of [
          '',
          'not-a-jwt',
          `${header}.${forged}.${signature}`,
          `${header}.${payload}.AAAA`,
          token.refreshToken,
        ]) {
          const error = await rejection(auth.inspect(bad));
          expect(error.code).toBe('UNAUTHORIZED');
        }
      });

      plain('a refresh token buys a fresh pair; an access token cannot be used to refresh', async (auth) => {
        const { secret } = await auth.generate('ada', { scopes: ['a'] });
        const first = await auth.token({ id: 'ada', secret });
        const second = await auth.token({ refreshToken: first.refreshToken });
        expect((await auth.inspect(second.accessToken)).scopes).toEqual(['a']);
        expect((await rejection(auth.token({ refreshToken: first.accessToken }))).code).toBe('UNAUTHORIZED');
      });

      timed('an access token works until expiresAt and not after it', async (auth, h) => {
        const { secret } = await auth.generate('ada');
        const token = await auth.token({ id: 'ada', secret });
        const advance = (ms: number) => h.advance?.(ms) ?? Promise.resolve();
        // JWT times are whole seconds; a second's margin either side also covers network latency.
        await advance(token.expiresAt - token.createdAt - 1_000);
        expect((await auth.inspect(token.accessToken)).id).toBe('ada');
        await advance(2_000);
        const error = await rejection(auth.inspect(token.accessToken));
        expect([error.code, error.detail]).toEqual(['UNAUTHORIZED', 'auth: access token is expired']);
        // The refresh token lives longer and still buys a new access token.
        const renewed = await auth.token({ refreshToken: token.refreshToken });
        expect((await auth.inspect(renewed.accessToken)).id).toBe('ada');
      });
    });

    describe('rules', () => {
      const ada: Account = { id: 'ada', type: 'user', scopes: ['orders'], metadata: {} };
      const bob: Account = { id: 'bob', type: 'user', scopes: [], metadata: {} };

      plain('denies by default, telling an anonymous caller from an account', async (auth) => {
        expect(await auth.verify(undefined, orders('Orders.Create'))).toEqual({ type: 'denied', reason: 'no-account' });
        expect(await auth.verify(ada, orders('Orders.Create'))).toEqual({ type: 'denied', reason: 'no-matching-rule' });
      });

      plain(
        'a public rule (scope "") lets anyone in; "*" needs any account; a scope needs that scope',
        async (auth) => {
          await auth.grant({
            id: 'health',
            scope: '',
            resource: { service: '*', endpoint: 'Health.*' },
            access: 'grant',
          });
          await auth.grant({
            id: 'read',
            scope: '*',
            resource: { service: 'orders', endpoint: 'Orders.Get' },
            access: 'grant',
          });
          await auth.grant({
            id: 'write',
            scope: 'orders',
            resource: { service: 'orders', endpoint: 'Orders.*' },
            access: 'grant',
          });
          expect((await auth.verify(undefined, { service: 'any', endpoint: 'Health.Check' })).type).toBe('granted');
          expect(await auth.verify(undefined, orders('Orders.Get'))).toEqual({ type: 'denied', reason: 'no-account' });
          expect((await auth.verify(bob, orders('Orders.Get'))).type).toBe('granted');
          expect((await auth.verify(bob, orders('Orders.Create'))).type).toBe('denied');
          expect(await auth.verify(ada, orders('Orders.Create'))).toMatchObject({
            type: 'granted',
            rule: { id: 'write' },
          });
          expect((await auth.verify(ada, { service: 'payments', endpoint: 'Orders.Create' })).type).toBe('denied');
        },
      );

      plain('higher priority wins, and at equal priority deny beats grant', async (auth) => {
        await auth.grant({ id: 'all', scope: '*', resource: { service: '*', endpoint: '*' }, access: 'grant' });
        await auth.grant({
          id: 'no-refunds',
          scope: '*',
          resource: { service: 'orders', endpoint: 'Orders.Refund' },
          access: 'deny',
          priority: 10,
        });
        await auth.grant({
          id: 'refunders',
          scope: 'orders',
          resource: { service: 'orders', endpoint: 'Orders.Refund' },
          access: 'grant',
          priority: 20,
        });
        expect(await auth.verify(bob, orders('Orders.Refund'))).toMatchObject({
          type: 'denied',
          reason: 'denied-by-rule',
          rule: { id: 'no-refunds' },
        });
        expect((await auth.verify(ada, orders('Orders.Refund'))).type).toBe('granted');
        await auth.grant({ id: 'tie', scope: '*', resource: { service: '*', endpoint: '*' }, access: 'deny' });
        expect((await auth.verify(bob, orders('Orders.Get'))).type).toBe('denied');
        expect((await auth.rules()).map((r) => r.id)).toEqual(['refunders', 'no-refunds', 'tie', 'all']);
      });

      plain('revoking a rule takes its grant away', async (auth) => {
        await auth.grant({ id: 'r', scope: '*', resource: { service: 'orders', endpoint: '*' }, access: 'grant' });
        expect((await auth.verify(bob, orders('Orders.Get'))).type).toBe('granted');
        expect(await auth.revoke('r')).toBe(true);
        expect(await auth.revoke('r')).toBe(false);
        expect((await auth.verify(bob, orders('Orders.Get'))).type).toBe('denied');
        expect(await auth.rules()).toEqual([]);
      });
    });

    describe('bad input gets a clear error', () => {
      plain('an empty account id or a scope with whitespace', async (auth) => {
        await expectBadRequest(auth.generate(''), 'id');
        await expectBadRequest(auth.generate('x', { scopes: ['has space'] }), 'scopes');
      });

      plain('a malformed rule names what is wrong and grants nothing', async (auth) => {
        const resource = { service: 'orders', endpoint: '*' };
        await expectBadRequest(auth.grant({ id: '', scope: '*', resource, access: 'grant' }), 'id');
        await expectBadRequest(
          auth.grant({ id: 'r', scope: '*', resource, access: 'allow' as 'grant' }),
          'access',
          '"allow"',
        );
        await expectBadRequest(
          auth.grant({ id: 'r', scope: '*', resource: { service: 'ord*ers', endpoint: '*' }, access: 'grant' }),
          'resource.service',
        );
        await expectBadRequest(
          auth.grant({ id: 'r', scope: '*', resource, access: 'grant', priority: 1.5 }),
          'priority',
        );
        expect(await auth.rules()).toEqual([]);
      });
    });
  });
}
