import { describe, expect, it } from 'vitest';
import { createRandom, randomUuid, streamSeed } from './random.js';

const draws = (stream: { next(): number }, n = 5) => Array.from({ length: n }, () => stream.next());

describe('named random streams', () => {
  it('a stream’s draws depend only on the root seed and its own name', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    b.fork('noise').next(); // drawing elsewhere first changes nothing
    expect(draws(b.fork('node:orders-1'))).toEqual(draws(a.fork('node:orders-1')));
    expect(draws(a.fork('node:orders-1'))).not.toEqual(draws(a.fork('node:orders-2')));
    expect(draws(createRandom(43).fork('node:orders-1'))).not.toEqual(draws(a.fork('node:orders-1')));
  });

  it('fork names nest with "/", and the seed is a stable hash of root and name', () => {
    const node = createRandom('s').fork('node:a');
    expect(node.fork('retry').name).toBe('node:a/retry');
    expect(draws(node.fork('retry'))).toEqual(draws(createRandom('s').fork('node:a/retry')));
    expect(streamSeed('s', 'node:a')).toBe(streamSeed('s', 'node:a'));
    expect(streamSeed('s', 'node:a')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('int, chance and uuid stay in range', () => {
    const r = createRandom(1).fork('x');
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 7);
      expect(n >= 3 && n < 7 && Number.isInteger(n)).toBe(true);
    }
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    expect(randomUuid(r)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
