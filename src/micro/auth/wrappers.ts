/**
 * Auth as middleware: the client wrapper attaches an access token to every request as
 * `authorization: Bearer …` metadata; the handler wrapper inspects it, decides access with
 * the auth's rules (deny by default) and answers UNAUTHORIZED (no or bad token, and no rule
 * lets anonymous callers in) or FORBIDDEN (a valid account no rule grants).
 */
import type { ClientWrapper } from '../client/types.js';
import { forbidden, unauthorized } from '../errors.js';
import type { CallContext } from '../metadata/context.js';
import { mergeMetadata } from '../metadata/types.js';
import type { HandlerWrapper } from '../server/types.js';
import type { Account, Auth } from './types.js';

export const AUTHORIZATION = 'authorization';
const BEARER = /^Bearer (.+)$/;

/** Where a client gets its current access token; undefined sends the call anonymously. */
export type TokenProvider = () => string | undefined | Promise<string | undefined>;

export function authClientWrapper(token: TokenProvider): ClientWrapper {
  return (next) => async (request) => {
    const accessToken = await token();
    if (accessToken === undefined) return next(request);
    return next({
      ...request,
      metadata: mergeMetadata(request.metadata, { [AUTHORIZATION]: `Bearer ${accessToken}` }),
    });
  };
}

const accounts = new WeakMap<CallContext, Account>();

/** The account the auth wrapper verified for this call, if the caller presented one. */
export function accountOf(context: CallContext): Account | undefined {
  return accounts.get(context);
}

export function authHandlerWrapper(auth: Auth): HandlerWrapper {
  return (next) => async (request) => {
    const header = request.metadata[AUTHORIZATION];
    let account: Account | undefined;
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) throw unauthorized('auth: the authorization header is not "Bearer <token>"');
      account = await auth.inspect(token);
    }
    const decision = await auth.verify(account, { service: request.service, endpoint: request.endpoint });
    switch (decision.type) {
      case 'granted':
        if (account) accounts.set(request.context, account);
        return next(request);
      case 'denied': {
        const what = `${request.service} ${request.endpoint}`;
        if (account === undefined) throw unauthorized(`auth: ${what} needs an account`);
        throw forbidden(
          decision.rule
            ? `auth: ${account.id} may not call ${what} (rule ${decision.rule.id})`
            : `auth: ${account.id} may not call ${what} (no rule grants it)`,
        );
      }
      default: {
        const never: never = decision;
        throw never;
      }
    }
  };
}
