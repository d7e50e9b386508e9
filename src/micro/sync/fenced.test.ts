import { describe, expect, it } from 'vitest';
import { fencedResource, findStaleWrite } from './fenced.js';

describe('fencedResource', () => {
  it('turns away a write whose token is lower than one already seen', () => {
    const resource = fencedResource<string>();
    expect(resource.write(2, 'new holder', 'b')).toEqual({ type: 'written' });
    expect(resource.write(1, 'stale holder', 'a')).toEqual({ type: 'fenced', highestToken: 2 });
    expect(resource.value).toBe('new holder');
    expect(findStaleWrite(resource.history)).toBeUndefined();
  });

  it('lets an unfenced write through, and findStaleWrite names it', () => {
    const resource = fencedResource<string>();
    resource.writeUnfenced(2, 'new holder', 'b');
    resource.writeUnfenced(1, 'stale holder', 'a');
    expect(resource.value).toBe('stale holder');
    expect(findStaleWrite(resource.history)?.later).toMatchObject({ token: 1, writer: 'a' });
  });

  it('rejects a token that is not a non-negative integer', () => {
    expect(() => fencedResource().write(-1, 'x')).toThrow(/fencing token must be an integer/);
  });
});
