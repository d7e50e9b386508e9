/**
 * Auth as infrastructure: an auth server on a node of the simulated world (default name
 * `auth`) holding accounts and rules and signing tokens on its own clock; services reach it
 * through sim messages, so a partition from `auth` makes logins and token checks time out.
 * Accounts and rules are durable (they survive a crash of the node).
 */
import { type AuthOptions, memoryAuth } from '../micro/auth/memory.js';
import type { Account, Auth, Resource, RuleInput, TokenRequest } from '../micro/auth/types.js';
import { unavailable } from '../micro/errors.js';
import type { Sim } from '../sim/index.js';
import { connect, type RemotePort, serve } from './remote.js';
import { incarnationRuntime } from './store.js';

export const DEFAULT_AUTH_NODE = 'auth';
export const AUTH_PORT = 'auth';

export interface AuthNodeOptions extends Omit<AuthOptions, 'runtime'> {
  /** Default: {@link DEFAULT_AUTH_NODE}. */
  readonly name?: string;
}

export interface AuthNode {
  readonly name: string;
  /** An Auth for code running on the node whose context this is. */
  client(ctx: RemotePort, options?: { readonly timeoutMs?: number }): Auth;
}

export function authNode(sim: Sim, options: AuthNodeOptions): AuthNode {
  const { name = DEFAULT_AUTH_NODE, ...authOptions } = options;
  const host = incarnationRuntime();
  const auth = memoryAuth({ ...authOptions, runtime: host.runtime });
  sim.node(name, (ctx) => {
    host.boot(ctx);
    serve(ctx, AUTH_PORT, {
      generate: ([id, generateOptions]) => auth.generate(id as string, generateOptions ?? {}),
      token: ([request]) => auth.token(request as TokenRequest),
      inspect: ([token]) => auth.inspect(token as string),
      grant: ([rule]) => auth.grant(rule as RuleInput),
      revoke: ([id]) => auth.revoke(id as string),
      rules: () => auth.rules(),
      verify: ([account, resource]) => auth.verify(account as Account | undefined, resource as Resource),
    });
  });
  return {
    name,
    client(ctx, clientOptions = {}) {
      const remote = connect(
        ctx,
        name,
        AUTH_PORT,
        clientOptions.timeoutMs === undefined ? {} : { timeoutMs: clientOptions.timeoutMs },
      );
      let closed = false;
      const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
        closed
          ? Promise.reject(unavailable(`auth.${method}: the auth client is closed`))
          : remote.call<T>(method, ...args);
      return {
        generate: (id, generateOptions) => call('generate', id, generateOptions),
        token: (request) => call('token', request),
        inspect: (token) => call('inspect', token),
        grant: (rule) => call('grant', rule),
        revoke: (id) => call('revoke', id),
        rules: () => call('rules'),
        verify: (account, resource) => call('verify', account, resource),
        async close() {
          closed = true;
          remote.close();
        },
      };
    },
  };
}
