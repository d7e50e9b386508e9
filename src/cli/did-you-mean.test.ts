import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('didYouMean', () => {
  it('offers the closest name for a plausible typo', () => {
    expect(didYouMean('rnu', ['run', 'replay', 'merge'])).toBe('run');
    expect(didYouMean('--sedes', ['--seed', '--seeds', '--grep'])).toBe('--seeds');
    expect(didYouMean('replya', ['run', 'replay'])).toBe('replay');
  });

  it('offers nothing when no name is close', () => {
    expect(didYouMean('frobnicate', ['run', 'replay', 'merge'])).toBeUndefined();
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
