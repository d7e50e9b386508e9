/**
 * Access rules: validation, evaluation order and the decision. Pure functions, so every Auth
 * implementation decides the same way.
 */
import { badRequest } from '../errors.js';
import { describeValue } from '../store/validate.js';
import type { AccessDecision, Account, Resource, Rule, RuleInput } from './types.js';

/** `*`, a literal, or a literal ending in `*` (a prefix). */
const PATTERN = /^[^*]*\*?$/;

export function checkRule(op: string, input: RuleInput): Rule {
  if (typeof input !== 'object' || input === null) throw badRequest(`${op}: rule must be an object`);
  const { id, scope, resource, access } = input;
  const priority = input.priority ?? 0;
  if (typeof id !== 'string' || id === '')
    throw badRequest(`${op}: rule id must be a non-empty string, got ${describeValue(id)}`);
  if (typeof scope !== 'string')
    throw badRequest(`${op}: rule "${id}" scope must be a string, got ${describeValue(scope)}`);
  if (access !== 'grant' && access !== 'deny')
    throw badRequest(`${op}: rule "${id}" access must be "grant" or "deny", got ${describeValue(access)}`);
  if (!Number.isSafeInteger(priority))
    throw badRequest(`${op}: rule "${id}" priority must be an integer, got ${describeValue(priority)}`);
  if (typeof resource !== 'object' || resource === null) throw badRequest(`${op}: rule "${id}" resource is required`);
  for (const part of ['service', 'endpoint'] as const) {
    const pattern: unknown = resource[part];
    if (typeof pattern !== 'string' || pattern === '' || !PATTERN.test(pattern))
      throw badRequest(
        `${op}: rule "${id}" resource.${part} must be "*", a name, or a name ending in "*", got ${describeValue(pattern)}`,
      );
  }
  return { id, scope, resource: { service: resource.service, endpoint: resource.endpoint }, access, priority };
}

/** Evaluation order: priority descending, deny before grant, then id. */
export function compareRules(a: Rule, b: Rule): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.access !== b.access) return a.access === 'deny' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function matchesPattern(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}

function appliesTo(rule: Rule, account: Account | undefined): boolean {
  if (rule.scope === '') return true;
  if (account === undefined) return false;
  return rule.scope === '*' || account.scopes.includes(rule.scope);
}

/** The first rule (in evaluation order) matching both the account and the resource decides; none = denied. */
export function decide(rules: readonly Rule[], account: Account | undefined, resource: Resource): AccessDecision {
  for (const rule of [...rules].sort(compareRules)) {
    if (!appliesTo(rule, account)) continue;
    if (!matchesPattern(rule.resource.service, resource.service)) continue;
    if (!matchesPattern(rule.resource.endpoint, resource.endpoint)) continue;
    return rule.access === 'grant' ? { type: 'granted', rule } : { type: 'denied', reason: 'denied-by-rule', rule };
  }
  return { type: 'denied', reason: account === undefined ? 'no-account' : 'no-matching-rule' };
}
