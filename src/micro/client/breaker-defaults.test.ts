import { describe, expect, it } from 'vitest';
import { CircuitBreakers, DEFAULT_BREAKER } from './breaker.js';

describe('the default circuit breaker recovers within seconds', () => {
  it('opens after 5 failures, lets one probe through a second later, and closes on its success', () => {
    let now = 0;
    const breakers = new CircuitBreakers({ now: () => now });
    for (let i = 0; i < DEFAULT_BREAKER.failures; i++) breakers.failure('n1');
    expect(breakers.allows('n1')).toBe(false);
    now = 999;
    expect(breakers.allows('n1')).toBe(false);
    now = 1_000;
    expect(breakers.allows('n1')).toBe(true);
    breakers.begin('n1');
    expect(breakers.allows('n1')).toBe(false); // one probe at a time
    breakers.success('n1');
    expect(breakers.state('n1')).toEqual({ type: 'closed', failures: 0 });
  });

  it('a failed probe opens it for another second', () => {
    let now = 0;
    const breakers = new CircuitBreakers({ now: () => now });
    for (let i = 0; i < DEFAULT_BREAKER.failures; i++) breakers.failure('n1');
    now = 1_000;
    breakers.begin('n1');
    breakers.failure('n1');
    expect(breakers.state('n1')).toEqual({ type: 'open', until: 2_000 });
  });
});
