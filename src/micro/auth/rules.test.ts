import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, matchesPattern } from './rules.js';
import type { Account, Resource, Rule } from './types.js';

const pattern = fc.constantFrom('*', 'orders', 'ord*', 'payments', 'Orders.*', 'Orders.Get', 'Orders.Refund', 'O*');
const rule = fc.record({
  id: fc.string({ minLength: 1, maxLength: 3 }),
  scope: fc.constantFrom('', '*', 'admin', 'orders'),
  resource: fc.record({ service: pattern, endpoint: pattern }),
  access: fc.constantFrom<'grant' | 'deny'>('grant', 'deny'),
  priority: fc.integer({ min: -2, max: 2 }),
});
const account = fc.option(
  fc.record({
    id: fc.constant('someone'),
    type: fc.constant<'user'>('user'),
    scopes: fc.subarray(['admin', 'orders', 'reports']),
    metadata: fc.constant({}),
  }),
  { nil: undefined },
);
const resource = fc.record({
  service: fc.constantFrom('orders', 'payments', 'ordinal'),
  endpoint: fc.constantFrom('Orders.Get', 'Orders.Refund', 'Other.Call'),
});

/** The rules read literally: among matching rules of the highest priority, any deny denies. */
function reference(rules: readonly Rule[], who: Account | undefined, what: Resource): 'granted' | 'denied' {
  const applies = (r: Rule) =>
    r.scope === '' || (who !== undefined && (r.scope === '*' || who.scopes.includes(r.scope)));
  const matching = rules.filter(
    (r) =>
      applies(r) &&
      matchesPattern(r.resource.service, what.service) &&
      matchesPattern(r.resource.endpoint, what.endpoint),
  );
  if (matching.length === 0) return 'denied';
  const top = Math.max(...matching.map((r) => r.priority));
  return matching.some((r) => r.priority === top && r.access === 'deny') ? 'denied' : 'granted';
}

describe('access decisions', () => {
  it('agree with the rules read literally, for any rule set, account and resource', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 8 }), account, resource, (rules, who, what) => {
        expect(decide(rules, who, what).type).toBe(reference(rules, who, what));
      }),
      { numRuns: 500 },
    );
  });

  it('match patterns: "*" anything, a trailing "*" a prefix, else exactly', () => {
    expect(matchesPattern('*', '')).toBe(true);
    expect(matchesPattern('Orders.*', 'Orders.Get')).toBe(true);
    expect(matchesPattern('Orders.*', 'OrdersX')).toBe(false);
    expect(matchesPattern('Orders.Get', 'Orders.GetAll')).toBe(false);
  });
});
