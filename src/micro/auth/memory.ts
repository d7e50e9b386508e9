/**
 * memoryAuth: accounts and rules held in memory, tokens as HS256 JWTs signed with a
 * configured secret (see `jwt.ts` for why signing is a synchronous HMAC rather than jose's
 * WebCrypto path). Time — issue, expiry, verification — comes from the runtime's clock, so
 * tokens expire in virtual time inside a simulation.
 */
import { timingSafeEqual } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { badRequest, unauthorized } from '../errors.js';
import { liveRuntime } from '../live.js';
import { type Runtime, randomId } from '../runtime.js';
import { describeValue } from '../store/validate.js';
import { signJwt, verifyJwt } from './jwt.js';
import { checkRule, compareRules, decide } from './rules.js';
import type {
  Account,
  AccountType,
  AccountWithSecret,
  Auth,
  GenerateOptions,
  Rule,
  RuleInput,
  Token,
  TokenRequest,
} from './types.js';

export const DEFAULT_ACCESS_TOKEN_TTL_MS = 15 * 60_000;
export const DEFAULT_REFRESH_TOKEN_TTL_MS = 24 * 60 * 60_000;
export const DEFAULT_ISSUER = 'microcosm';
/** HMAC keys shorter than the hash are weak; HS256 wants at least 32 bytes. */
export const MIN_SECRET_BYTES = 32;

export interface AuthOptions {
  /** The HMAC signing secret, at least {@link MIN_SECRET_BYTES} bytes. Required. */
  readonly secret: string | Uint8Array;
  /** Clock (token times) and random (account secrets, token ids). Default: liveRuntime. */
  readonly runtime?: Runtime;
  /** Default: {@link DEFAULT_ISSUER}. */
  readonly issuer?: string;
  /** Default: {@link DEFAULT_ACCESS_TOKEN_TTL_MS} (15 min). */
  readonly accessTokenTtlMs?: number;
  /** Default: {@link DEFAULT_REFRESH_TOKEN_TTL_MS} (24 h). */
  readonly refreshTokenTtlMs?: number;
  /** Rules to start with. Default: none (everything denied). */
  readonly rules?: readonly RuleInput[];
}

export interface AuthConfig {
  readonly key: Uint8Array;
  readonly runtime: Runtime;
  readonly issuer: string;
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  readonly rules: readonly Rule[];
}

export function resolveAuthOptions(options: AuthOptions): AuthConfig {
  const key = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (!(key instanceof Uint8Array) || key.byteLength < MIN_SECRET_BYTES)
    throw badRequest(`memoryAuth: secret must be at least ${MIN_SECRET_BYTES} bytes, got ${describeValue(key)}`);
  const ttl = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v < 1000)
      throw badRequest(
        `memoryAuth: ${name} must be at least 1000 ms (JWT times are in seconds), got ${describeValue(v)}`,
      );
    return v;
  };
  return {
    key: key.slice(),
    runtime: options.runtime ?? liveRuntime,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    accessTokenTtlMs: ttl('accessTokenTtlMs', options.accessTokenTtlMs, DEFAULT_ACCESS_TOKEN_TTL_MS),
    refreshTokenTtlMs: ttl('refreshTokenTtlMs', options.refreshTokenTtlMs, DEFAULT_REFRESH_TOKEN_TTL_MS),
    rules: (options.rules ?? []).map((rule) => checkRule('memoryAuth', rule)),
  };
}

type TokenUse = 'access' | 'refresh';

interface Claims extends JWTPayload {
  readonly use: TokenUse;
  readonly acct: {
    readonly type: AccountType;
    readonly scopes: readonly string[];
    readonly metadata: Record<string, string>;
  };
}

export function memoryAuth(options: AuthOptions): Auth {
  const config = resolveAuthOptions(options);
  const { runtime, key, issuer } = config;
  const accounts = new Map<string, AccountWithSecret>();
  const rules = new Map<string, Rule>(config.rules.map((rule) => [rule.id, rule]));

  function sign(account: Account, use: TokenUse, nowMs: number, ttlMs: number): [string, number] {
    const exp = Math.floor((nowMs + ttlMs) / 1000);
    const claims: Claims = {
      use,
      acct: { type: account.type, scopes: [...account.scopes], metadata: { ...account.metadata } },
      sub: account.id,
      iss: issuer,
      iat: Math.floor(nowMs / 1000),
      exp,
      jti: randomId(runtime, 16),
    };
    return [signJwt(claims, key), exp * 1000];
  }

  async function issue(account: Account): Promise<Token> {
    const createdAt = runtime.clock.now();
    const [accessToken, expiresAt] = sign(account, 'access', createdAt, config.accessTokenTtlMs);
    const [refreshToken] = sign(account, 'refresh', createdAt, config.refreshTokenTtlMs);
    return { accessToken, refreshToken, createdAt, expiresAt };
  }

  async function verify(token: string, use: TokenUse): Promise<Account> {
    if (typeof token !== 'string' || token === '') throw unauthorized(`auth: no ${use} token given`);
    const check = verifyJwt(token, key, { nowMs: runtime.clock.now(), issuer });
    if (check.type !== 'valid')
      throw unauthorized(`auth: ${use} token is ${check.type === 'expired' ? 'expired' : `invalid (${check.type})`}`);
    const payload = check.payload as Claims;
    if (payload.use !== use) throw unauthorized(`auth: a ${String(payload.use)} token is not a ${use} token`);
    const { acct } = payload;
    return { id: payload.sub ?? '', type: acct.type, scopes: [...acct.scopes], metadata: { ...acct.metadata } };
  }

  const publicAccount = ({ secret: _secret, ...account }: AccountWithSecret): Account => account;

  return {
    async generate(id: string, generateOptions: GenerateOptions = {}) {
      if (typeof id !== 'string' || id === '')
        throw badRequest(`auth.generate: id must be a non-empty string, got ${describeValue(id)}`);
      const type = generateOptions.type ?? 'user';
      if (type !== 'user' && type !== 'service')
        throw badRequest(`auth.generate: type must be "user" or "service", got ${describeValue(type)}`);
      const scopes = [...(generateOptions.scopes ?? [])];
      for (const scope of scopes) {
        if (typeof scope !== 'string' || scope === '' || /\s/.test(scope))
          throw badRequest(
            `auth.generate: scopes must be non-empty strings without whitespace, got ${describeValue(scope)}`,
          );
      }
      const metadata = { ...(generateOptions.metadata ?? {}) };
      for (const [k, v] of Object.entries(metadata)) {
        if (typeof v !== 'string')
          throw badRequest(`auth.generate: metadata.${k} must be a string, got ${describeValue(v)}`);
      }
      const secret = generateOptions.secret ?? randomId(runtime, 32);
      if (typeof secret !== 'string' || secret === '')
        throw badRequest('auth.generate: secret must be a non-empty string');
      const account: AccountWithSecret = { id, type, scopes, metadata, secret };
      accounts.set(id, account);
      return { ...account, scopes: [...scopes], metadata: { ...metadata } };
    },

    async token(request: TokenRequest) {
      if (typeof request !== 'object' || request === null) throw badRequest('auth.token: request must be an object');
      if ('refreshToken' in request) {
        const claimed = await verify(request.refreshToken, 'refresh');
        const account = accounts.get(claimed.id);
        if (!account) throw unauthorized(`auth: account "${claimed.id}" no longer exists`);
        return issue(publicAccount(account));
      }
      const account = accounts.get(request.id);
      if (!account || !sameSecret(account.secret, request.secret))
        throw unauthorized('auth: unknown account or wrong secret');
      return issue(publicAccount(account));
    },

    inspect: (accessToken) => verify(accessToken, 'access'),

    async grant(input) {
      const rule = checkRule('auth.grant', input);
      rules.set(rule.id, rule);
      return rule;
    },
    async revoke(ruleId) {
      return rules.delete(ruleId);
    },
    async rules() {
      return [...rules.values()].sort(compareRules);
    },
    async verify(account, resource) {
      if (typeof resource?.service !== 'string' || typeof resource.endpoint !== 'string')
        throw badRequest('auth.verify: resource must have a service and an endpoint');
      return decide([...rules.values()], account, resource);
    },
    async close() {},
  };
}

function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
