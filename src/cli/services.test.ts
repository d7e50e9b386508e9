import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../micro/logger/index.js';
import { createService } from '../micro/service/service.js';
import type { MicroService } from '../micro/service/types.js';
import { describeBackend } from '../plugins/describe-backend.js';
import { redisRegistry } from '../plugins/redis/registry.js';
import { dropPrefix, uniquePrefix } from '../plugins/redis/test-helpers.js';
import { tcpTransport } from '../plugins/tcp/index.js';
import type { CliIo } from './io.js';
import { main } from './main.js';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    tty: false,
    cwd: process.cwd(),
    stdout: () => out,
    stderr: () => err,
  };
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('service commands: bad input exits 2 before connecting', () => {
  it('names the missing registry, a bad scheme, bad JSON and a bad endpoint', async () => {
    const noEnv = { ...process.env };
    delete process.env.MICROCOSM_REGISTRY;
    try {
      expect(await run('services')).toMatchObject({
        code: 2,
        err: expect.stringContaining('--registry URL is required'),
      });
    } finally {
      process.env = noEnv;
    }
    expect((await run('services', '--registry', 'http://x')).err).toContain('expected a redis:// or nats:// URL');
    expect((await run('call', 'greeter', 'Greeter.Hello', '{nope', '--registry', 'redis://127.0.0.1:1')).err).toContain(
      'the request is not JSON',
    );
    expect((await run('call', 'greeter', 'Hello', '--registry', 'redis://127.0.0.1:1')).code).toBe(2);
    expect((await run('deregister', 'greeter', '--registry', 'redis://127.0.0.1:1')).err).toContain(
      'missing --node ID',
    );
    expect((await run('config', 'put', 'a', '--store', 'redis://127.0.0.1:1')).code).toBe(2);
    expect((await run('gateway', '--registry', 'redis://127.0.0.1:1', '--port', 'x')).code).toBe(2);
  });
});

describeBackend('redis', ({ url }) => {
  const prefix = uniquePrefix('cli');
  const flags = ['--registry', url, '--prefix', prefix];
  let greeter: MicroService;
  beforeAll(async () => {
    greeter = createService({
      name: 'greeter',
      version: '1.2.0',
      registry: redisRegistry({ url, prefix }),
      transport: tcpTransport(),
      logger: silentLogger,
      server: { address: '127.0.0.1:0' },
    }).handle('Greeter', { Hello: (request: { name: string }) => ({ message: `Hello ${request.name}` }) });
    await greeter.start();
  });
  afterAll(async () => {
    await greeter.stop();
    await dropPrefix(url, prefix);
  });

  it('services and describe list what a live service registered', async () => {
    const services = await run('services', ...flags);
    expect(services.code).toBe(0);
    expect(services.out).toMatch(/greeter\s+1\.2\.0\s+1\s+2/);
    const json = JSON.parse((await run('services', ...flags, '--json')).out) as { name: string; version: string }[];
    expect(json.map((s) => `${s.name}@${s.version}`)).toEqual(['greeter@1.2.0']);
    expect((await run('describe', 'greeter', ...flags)).out).toContain('endpoints: Greeter.Hello, Health.Check');
    expect((await run('describe', 'nobody', ...flags)).code).toBe(1);
  });

  it('call reaches the service over TCP; a handler error is exit 1 with its code', async () => {
    const ok = await run('call', 'greeter', 'Greeter.Hello', '{"name":"Ada"}', ...flags, '--json');
    expect([ok.code, JSON.parse(ok.out)]).toEqual([0, { message: 'Hello Ada' }]);
    const missing = await run('call', 'greeter', 'Greeter.Nope', '{}', ...flags);
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('NOT_FOUND (404)')]);
  });

  it('health reports every node; a registered node that answers nothing makes it exit 1', async () => {
    const healthy = await run('health', 'greeter', ...flags, '--json');
    expect(healthy.code).toBe(0);
    expect((JSON.parse(healthy.out) as { status: string }[]).map((r) => r.status)).toEqual(['serving']);
    expect(
      (
        await run(
          'register',
          'greeter',
          '--version',
          '1.2.0',
          '--address',
          '127.0.0.1:1',
          '--node',
          'ghost',
          '--ttl',
          '60000',
          ...flags,
        )
      ).code,
    ).toBe(0);
    const sick = await run('health', 'greeter', ...flags);
    expect(sick.code).toBe(1);
    expect(sick.out).toMatch(/ghost .* FAILING UNAVAILABLE/);
    expect((await run('deregister', 'greeter', '--version', '1.2.0', '--node', 'ghost', ...flags)).code).toBe(0);
    expect((await run('health', 'greeter', ...flags)).code).toBe(0);
  });

  it('config set then get round-trips through the store, path by path', async () => {
    const store = ['--store', url, '--prefix', prefix];
    expect((await run('config', 'set', 'db.host', '"pg.local"', ...store)).code).toBe(0);
    expect((await run('config', 'set', 'db.port', '5432', ...store)).code).toBe(0);
    expect(JSON.parse((await run('config', 'get', 'db', ...store)).out)).toEqual({ host: 'pg.local', port: 5432 });
    expect((await run('config', 'get', 'nothing.here', ...store)).code).toBe(1);
  });
});

describeBackend('mysql', ({ url }) => {
  // The CLI takes no schema: its tables go to the URL's database under a prefix of their own.
  const prefix = `mctest_cli_${process.pid}_${Date.now().toString(36)}`;
  afterAll(async () => {
    const pool = mysql.createPool({ uri: url, connectionLimit: 1 });
    const [tables] = await pool.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?',
      [`${prefix}\\_%`],
    );
    for (const { name } of tables) await pool.query(`DROP TABLE \`${name}\``);
    await pool.end();
  });

  it('config set then get round-trips through a mysql:// store', async () => {
    const store = ['--store', url, '--prefix', prefix];
    expect((await run('config', 'set', 'db.host', '"maria.local"', ...store)).code).toBe(0);
    expect(JSON.parse((await run('config', 'get', 'db', ...store)).out)).toEqual({ host: 'maria.local' });
  });
});
