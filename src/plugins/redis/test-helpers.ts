/**
 * Test isolation for Redis plugin tests: every suite writes under its own key prefix and
 * deletes everything under it afterwards, so suites run in parallel and on a dirty server.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { escapeGlob } from './script.js';

export function uniquePrefix(label: string): string {
  return `mctest:${label}:${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Delete every key under `prefix`. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
