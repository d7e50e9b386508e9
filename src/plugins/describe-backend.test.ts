import { expect, it } from 'vitest';
import { describeBackend } from './describe-backend.js';

// The helper in use: an async collector that resolves the local Redis and hands its URL on.
describeBackend('redis', (backend) => {
  it('hands the suite a URL that answered a probe', () => {
    expect(backend.url).toMatch(/^redis:\/\//);
    expect(backend.tried.length).toBeGreaterThan(0);
  });
});
