import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isMicroError } from '../errors.js';
import { memoryLogger } from '../logger/memory.js';
import { createConfig } from './config.js';
import { fileSource } from './file.js';
import { defaultsSource, envSource, memorySource } from './sources.js';

const rejection = (fn: () => unknown) =>
  Promise.resolve()
    .then(fn)
    .then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => {
        if (!isMicroError(error)) throw error;
        return error;
      },
    );

describe('config layering', () => {
  it('merges defaults < file < env < memory, each later layer winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microcosm-config-'));
    writeFileSync(join(dir, 'app.yaml'), 'db:\n  host: file-host\n  port: 5432\nlog: info\n');
    const overrides = memorySource({ log: 'debug' });
    const config = await createConfig({
      sources: [
        defaultsSource({ db: { host: 'localhost', port: 1, pool: { max: 5 } }, log: 'warn' }),
        fileSource(join(dir, 'app.yaml')),
        envSource({ prefix: 'APP_', env: { APP_DB__PORT: '6543', APP_DB__POOL__MAX: '20', OTHER: 'x' } }),
        overrides,
      ],
      watch: false,
    });
    expect(config.snapshot()).toEqual({ db: { host: 'file-host', port: 6543, pool: { max: 20 } }, log: 'debug' });
    expect(config.get('db.pool')).toEqual({ max: 20 });
    expect(config.get('db.pool.min', 1)).toBe(1);
    expect(config.get('')).toEqual(config.snapshot());
  });

  it('scans typed values and names the bad path when they do not fit', async () => {
    const config = await createConfig({ sources: [defaultsSource({ db: { port: 'eighty', hosts: ['a', 2] } })] });
    const error = await rejection(() => config.scan(z.object({ port: z.number(), hosts: z.array(z.string()) }), 'db'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.detail).toContain('"db.port"');
    expect(error.detail).toContain('"db.hosts.1"');
    expect(config.scan(z.string(), 'db.hosts.0')).toBe('a');
  });

  it('refuses a path with an empty segment', async () => {
    const config = await createConfig({ sources: [] });
    expect(() => config.get('a..b')).toThrow(/empty segment/);
  });

  it('fails the first load with the bad source or bad path named', async () => {
    const missing = await rejection(() => createConfig({ sources: [fileSource('/nonexistent/app.json')] }));
    expect(missing.detail).toBe('file /nonexistent/app.json: file not found');
    const invalid = await rejection(() =>
      createConfig({ sources: [defaultsSource({ port: -1 })], schema: z.object({ port: z.number().positive() }) }),
    );
    expect(invalid.detail).toContain('"port"');
    const notSource = await rejection(() => createConfig({ sources: [{} as never] }));
    expect(notSource.detail).toContain('sources[0]');
  });

  it('reports a rejected hot reload through onError and the logger, keeping the last good config', async () => {
    const logger = memoryLogger();
    const layer = memorySource({ workers: 4 });
    const errors: string[] = [];
    const config = await createConfig({
      sources: [layer],
      schema: z.object({ workers: z.number().int().min(1) }),
      onError: (e) => errors.push(e.detail),
      logger,
    });
    layer.set('workers', 0);
    await config.reload();
    expect(config.value()).toEqual({ workers: 4 });
    expect(errors.at(-1)).toContain('"workers"');
    expect(logger.records.some((r) => r.level === 'warn' && r.message.includes('keeping the last good'))).toBe(true);
  });

  it('stops reloading after close', async () => {
    const layer = memorySource({ n: 1 });
    const config = await createConfig({ sources: [layer] });
    const seen: unknown[] = [];
    config.watch('n', (v) => seen.push(v));
    await config.close();
    layer.set('n', 2);
    await config.reload();
    expect(seen).toEqual([]);
    expect(config.get('n')).toBe(1);
  });
});

describe('environment source', () => {
  it('maps prefix and separator to paths and reads scalars', async () => {
    const source = envSource({
      prefix: 'SHOP_',
      env: {
        SHOP_HTTP__PORT: '8080',
        SHOP_FEATURE__BETA: 'true',
        SHOP_NAME: 'café',
        SHOP_RATIO: '0.5',
        SHOP_ID: '007',
      },
    });
    expect(await source.load()).toEqual({
      http: { port: 8080 },
      feature: { beta: true },
      name: 'café',
      ratio: 0.5,
      id: '007',
    });
  });

  it('keeps strings when asked to', async () => {
    const source = envSource({ prefix: 'X_', parseValues: false, env: { X_PORT: '80' } });
    expect(await source.load()).toEqual({ port: '80' });
  });

  it('refuses two variables that set the same place', async () => {
    const source = envSource({ prefix: 'APP_', env: { APP_DB: 'postgres://x', APP_DB__HOST: 'h' } });
    const error = await rejection(() => source.load());
    expect(error.detail).toContain('APP_DB and APP_DB__HOST');
  });

  it('refuses an empty prefix', () => {
    expect(() => envSource({ prefix: '' })).toThrow(/prefix/);
  });
});
