// Auth: the contract, the in-process version (HS256 JWTs), rule decisions and the wrappers.
export { JWT_ALGORITHM, type JwtCheck, type JwtFailure, signJwt, verifyJwt } from './jwt.js';
export {
  type AuthConfig,
  type AuthOptions,
  DEFAULT_ACCESS_TOKEN_TTL_MS,
  DEFAULT_ISSUER,
  DEFAULT_REFRESH_TOKEN_TTL_MS,
  MIN_SECRET_BYTES,
  memoryAuth,
  resolveAuthOptions,
} from './memory.js';
export { checkRule, compareRules, decide, matchesPattern } from './rules.js';
export * from './types.js';
export { AUTHORIZATION, accountOf, authClientWrapper, authHandlerWrapper, type TokenProvider } from './wrappers.js';
