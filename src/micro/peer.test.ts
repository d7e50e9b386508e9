import { describe, expect, it } from 'vitest';
import { loadPeer, MissingPeerError } from './peer.js';

function notFound(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('loadPeer', () => {
  it('returns the loaded module', async () => {
    await expect(loadPeer('ioredis', 'redis', async () => ({ Redis: 1 }))).resolves.toEqual({ Redis: 1 });
  });

  it('names the package to install when it is missing', async () => {
    const load = () => Promise.reject(notFound("Cannot find package 'ioredis' imported from /app/x.js"));
    const error = await loadPeer('ioredis', 'redis', load).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPeerError);
    expect((error as Error).message).toBe(
      'the redis plugin needs the package "ioredis", which is not installed: npm install ioredis',
    );
  });

  it('rethrows a missing module other than the package itself (a broken install)', async () => {
    const broken = notFound("Cannot find package 'denque' imported from /app/node_modules/ioredis/x.js");
    await expect(loadPeer('ioredis', 'redis', () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('rethrows an error the library throws while loading', async () => {
    const failure = new TypeError('boom');
    await expect(loadPeer('pg', 'postgres', () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
