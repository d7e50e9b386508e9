import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corruptOneRead, generateHistory } from '../generate.js';
import { kv } from '../models/kv.js';
import { register } from '../models/register.js';
import { checkHistory } from './check.js';

const histories = fc.record({
  kind: fc.constantFrom('register' as const, 'kv' as const),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  operations: fc.integer({ min: 1, max: 60 }),
  processes: fc.integer({ min: 1, max: 6 }),
  keys: fc.integer({ min: 1, max: 3 }),
  unknownRate: fc.constantFrom(0, 0.02, 0.1),
});

describe('the checker against histories of a sequential execution', () => {
  it('finds every such history linearizable', () => {
    fc.assert(
      fc.property(histories, (options) => {
        const history = generateHistory(options);
        expect(checkHistory(history, options.kind === 'kv' ? kv : register).type).toBe('linearizable');
      }),
      { numRuns: 100 },
    );
  });

  it('finds the same history with one corrupted read not linearizable', () => {
    fc.assert(
      fc.property(histories, fc.integer({ min: 1, max: 1000 }), (options, pick) => {
        const corrupted = corruptOneRead(generateHistory(options), pick);
        fc.pre(corrupted !== undefined);
        if (corrupted === undefined) return;
        const result = checkHistory(corrupted, options.kind === 'kv' ? kv : register);
        expect(result.type).toBe('not-linearizable');
      }),
      { numRuns: 100 },
    );
  });
});
