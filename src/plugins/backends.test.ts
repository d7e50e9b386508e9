import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type BackendSpec, describeAttempts, locateBackend, probeUrl, servicesRequired } from './backends.js';

let listening: Server;
let openPort: number;
let closedPort: number;

beforeAll(async () => {
  listening = await listen();
  openPort = (listening.address() as { port: number }).port;
  const released = await listen();
  closedPort = (released.address() as { port: number }).port;
  await new Promise((resolve) => released.close(resolve));
});
afterAll(() => new Promise((resolve) => listening.close(resolve)));

const spec = (defaultUrl: string): BackendSpec => ({ ...BACKENDS.redis, defaultUrl });
const noEngine = { MICROCOSM_TESTCONTAINERS: '0' };

describe('the backend resolver', () => {
  it('probes a URL by connecting to its host and port', async () => {
    expect(await probeUrl(`redis://127.0.0.1:${openPort}`)).toBe('answered');
    expect(await probeUrl(`redis://127.0.0.1:${closedPort}`)).toBe('ECONNREFUSED');
    expect(await probeUrl('not a url')).toBe('not a valid URL');
  });

  it('prefers the environment URL over the default local port', async () => {
    const env = { ...noEngine, MICROCOSM_REDIS_URL: `redis://127.0.0.1:${openPort}` };
    const backend = await locateBackend(spec(`redis://127.0.0.1:${closedPort}`), env);
    expect(backend).toMatchObject({ type: 'available', source: 'env', url: `redis://127.0.0.1:${openPort}` });
  });

  it('falls back to the default local port when the environment URL does not answer', async () => {
    const env = { ...noEngine, MICROCOSM_REDIS_URL: `redis://127.0.0.1:${closedPort}` };
    const backend = await locateBackend(spec(`redis://127.0.0.1:${openPort}`), env);
    expect(backend).toMatchObject({ type: 'available', source: 'local' });
    expect(backend.tried[1]).toContain('ECONNREFUSED');
  });

  it('names every place it looked when nothing answers', async () => {
    const backend = await locateBackend(spec(`redis://127.0.0.1:${closedPort}`), noEngine);
    expect(backend.type).toBe('unavailable');
    expect(describeAttempts(backend)).toBe(
      `redis: no backend answered (tried testcontainers: no container engine answered; ` +
        `MICROCOSM_REDIS_URL: not set; redis://127.0.0.1:${closedPort}: ECONNREFUSED)`,
    );
  });

  it('does not print passwords from URLs', async () => {
    const env = { ...noEngine, MICROCOSM_REDIS_URL: `redis://user:secret@127.0.0.1:${closedPort}` };
    const backend = await locateBackend(spec(`redis://127.0.0.1:${closedPort}`), env);
    expect(describeAttempts(backend)).not.toContain('secret');
    expect(describeAttempts(backend)).toContain('user:***@');
  });

  it('turns skips into failures only when MICROCOSM_REQUIRE_SERVICES=1', () => {
    expect(servicesRequired({ MICROCOSM_REQUIRE_SERVICES: '1' })).toBe(true);
    expect(servicesRequired({})).toBe(false);
    expect(servicesRequired({ MICROCOSM_REQUIRE_SERVICES: '0' })).toBe(false);
  });
});

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
