/**
 * Auth: accounts with scopes, tokens (JWT) issued, verified and refreshed, and access rules
 * over resources. Deny by default.
 *
 * Contract (the conformance suite in `src/conformance/auth.ts` is its executable form):
 * - `generate` creates (or replaces) an account and returns it with its secret; ids are
 *   non-empty; scopes are non-empty strings without whitespace.
 * - `token({ id, secret })` issues an access token and a refresh token; a wrong id or secret
 *   is an UNAUTHORIZED MicroError. `token({ refreshToken })` issues a fresh pair for a valid,
 *   unexpired refresh token of an account that still exists; an access token is not accepted
 *   as a refresh token.
 * - `inspect(accessToken)` returns the account the token was issued to, or throws
 *   UNAUTHORIZED (malformed, bad signature, expired, a refresh token). Expiry follows the
 *   injected Runtime's clock: a token issued at `t` with lifetime `L` is valid while
 *   `now < t + L` (to the second, as JWT `exp` is in seconds).
 * - Rules: see {@link Rule}. {@link Auth.verify} picks the matching rules, highest priority
 *   first; at equal priority a deny wins over a grant. No matching rule = denied.
 */

export type AccountType = 'user' | 'service';

export interface Account {
  readonly id: string;
  readonly type: AccountType;
  readonly scopes: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** An account as `generate` returns it, with the secret to exchange for tokens. */
export interface AccountWithSecret extends Account {
  readonly secret: string;
}

export interface GenerateOptions {
  /** Default: 'user'. */
  readonly type?: AccountType;
  /** Default: []. */
  readonly scopes?: readonly string[];
  /** Default: {}. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Default: a random secret drawn from the runtime. */
  readonly secret?: string;
}

export interface Token {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms (runtime clock). */
  readonly createdAt: number;
  /** Epoch ms at which the access token stops being accepted. */
  readonly expiresAt: number;
}

export type TokenRequest = { readonly id: string; readonly secret: string } | { readonly refreshToken: string };

/** What is being accessed: an endpoint of a service. */
export interface Resource {
  /** Service name, e.g. `orders`. */
  readonly service: string;
  /** Endpoint, e.g. `Orders.Create`. */
  readonly endpoint: string;
}

/**
 * A rule. `resource` fields are patterns: `*` matches anything, a trailing `*` matches a
 * prefix (`Orders.*`), anything else matches exactly. `scope` says who it applies to:
 * `''` = everybody, even without an account (public); `'*'` = any account; any other string
 * = accounts holding that scope.
 */
export interface Rule {
  readonly id: string;
  readonly scope: string;
  readonly resource: Resource;
  readonly access: 'grant' | 'deny';
  /** Higher wins. Default: 0. */
  readonly priority: number;
}

export type RuleInput = Omit<Rule, 'priority'> & { readonly priority?: number };

/** The outcome of an access check; callers branch on it, so it is returned, not thrown. */
export type AccessDecision =
  | { readonly type: 'granted'; readonly rule: Rule }
  | {
      readonly type: 'denied';
      readonly reason: 'no-account' | 'no-matching-rule' | 'denied-by-rule';
      readonly rule?: Rule;
    };

export interface Auth {
  generate(id: string, options?: GenerateOptions): Promise<AccountWithSecret>;
  token(request: TokenRequest): Promise<Token>;
  inspect(accessToken: string): Promise<Account>;
  grant(rule: RuleInput): Promise<Rule>;
  /** True if a rule with that id was removed. */
  revoke(ruleId: string): Promise<boolean>;
  /** Rules in evaluation order (priority descending, deny before grant, then id). */
  rules(): Promise<Rule[]>;
  /** Decide access for `account` (undefined = anonymous) to `resource` under the current rules. */
  verify(account: Account | undefined, resource: Resource): Promise<AccessDecision>;
  close(): Promise<void>;
}
