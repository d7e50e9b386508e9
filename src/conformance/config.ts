/**
 * configConformance: the contract of a {@link ConfigSource} — above all the writable,
 * shared ones (store-backed, KV-backed) — and of the config built over it: layering over
 * defaults, hot reload, and rejecting a bad update while keeping the last good config.
 *
 *   configConformance('nats kv', async () => ({ subject: { source, write, writeRaw }, cleanup }));
 */
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { createConfig } from '../micro/config/config.js';
import { defaultsSource } from '../micro/config/sources.js';
import type { ConfigSource, ConfigTree } from '../micro/config/types.js';
import { isMicroError, type MicroError } from '../micro/errors.js';
import { silentLogger } from '../micro/logger/memory.js';
import { announceUnsupported, type Factory, type Harness, itWhen, pass, type Unsupported, using } from './support.js';

/** A source under test and the means to change what it holds. */
export interface WritableConfigSource {
  readonly source: ConfigSource;
  /** Make the layer hold `tree`. */
  write(tree: ConfigTree): Promise<void>;
  /** Make the layer hold raw text (to test unparsable content). */
  writeRaw?(text: string): Promise<void>;
}

export type ConfigCapability = 'watch' | 'rawContent';

export interface ConfigConformanceOptions {
  /** Capabilities this source does not offer, each with the reason. Default: none. */
  readonly unsupported?: Unsupported<ConfigCapability>;
  /** How long after a write the source has surely noticed (poll interval and more). Default: 2 500 ms. */
  readonly noticeMs?: number;
}

export function configConformance(
  name: string,
  factory: Factory<WritableConfigSource>,
  options: ConfigConformanceOptions = {},
): void {
  const unsupported = options.unsupported ?? {};
  const noticeMs = options.noticeMs ?? 2_500;
  type Body = (subject: WritableConfigSource, harness: Harness<WritableConfigSource>) => Promise<void>;
  const declare = (flag?: ConfigCapability) => (title: string, body: Body) =>
    itWhen(unsupported, flag)(title, () => using(factory, (h) => body(h.subject, h)));
  const plain = declare();

  /** A config over defaults and the source, recording rejected reloads. */
  async function layered(subject: WritableConfigSource) {
    const errors: MicroError[] = [];
    const config = await createConfig({
      sources: [defaultsSource({ app: { name: 'shop', port: 8080, tags: ['a'] } }), subject.source],
      schema: z.object({ app: z.object({ name: z.string(), port: z.number().int().positive() }).loose() }).loose(),
      onError: (error) => errors.push(error),
      logger: silentLogger,
    });
    return { config, errors };
  }

  describe(`config source conformance: ${name}`, () => {
    announceUnsupported(`config:${name}`, unsupported);

    plain('loads what was written: nested objects, arrays, unicode, null', async ({ source, write }) => {
      const tree = {
        db: { host: 'db.local', pool: { max: 10 } },
        list: [1, 'two', { three: 3 }],
        名前: 'ü',
        off: null,
      };
      await write(tree);
      expect(await source.load()).toEqual(tree);
    });

    plain('an empty layer loads as an empty object', async ({ source, write }) => {
      await write({});
      expect(await source.load()).toEqual({});
    });

    plain('each load is a fresh tree: mutating one changes nothing later', async ({ source, write }) => {
      await write({ a: { b: 1 } });
      const first = (await source.load()) as { a: { b: number } };
      first.a.b = 99;
      expect(await source.load()).toEqual({ a: { b: 1 } });
    });

    plain('a later write is what the next load sees', async ({ source, write }) => {
      await write({ v: 1 });
      await write({ v: 2, extra: true });
      expect(await source.load()).toEqual({ v: 2, extra: true });
    });

    plain('layered over defaults: objects merge deeply and the source wins', async (subject) => {
      await subject.write({ app: { port: 9090, tags: ['x', 'y'] }, feature: { on: true } });
      const { config } = await layered(subject);
      expect(config.get('app.name')).toBe('shop');
      expect(config.get('app.port')).toBe(9090);
      expect(config.get('app.tags')).toEqual(['x', 'y']);
      expect(config.get('feature.on')).toBe(true);
      expect(config.get('missing.path', 'fallback')).toBe('fallback');
      await config.close();
    });

    declare('watch')('hot reload: a change reaches the config and the path watcher, once', async (subject, h) => {
      await subject.write({ app: { port: 9090 } });
      const { config } = await layered(subject);
      const seen: unknown[] = [];
      const untouched: unknown[] = [];
      config.watch('app.port', (value, previous) => seen.push([value, previous]));
      config.watch('app.name', (value) => untouched.push(value));
      await subject.write({ app: { port: 9191 } });
      await pass(h, noticeMs);
      expect(config.get('app.port')).toBe(9191);
      expect(seen).toEqual([[9191, 9090]]);
      expect(untouched).toEqual([]);
      await config.close();
    });

    plain('an update the schema rejects changes nothing and is reported', async (subject) => {
      await subject.write({ app: { port: 9090 } });
      const { config, errors } = await layered(subject);
      await subject.write({ app: { port: 'not a number' } });
      const result = await config.reload();
      expect(result.type).toBe('rejected');
      expect(config.get('app.port')).toBe(9090);
      // A watching source may have reloaded on its own too: every report names the bad path.
      expect(errors.length).toBeGreaterThanOrEqual(1);
      for (const error of errors) expect(error.detail).toContain('"app.port"');
      await subject.write({ app: { port: 9292 } });
      expect((await config.reload()).type).toBe('applied');
      expect(config.get('app.port')).toBe(9292);
      await config.close();
    });

    declare('rawContent')(
      'unparsable content is rejected with the source named; the last good stays',
      async (subject) => {
        await subject.write({ app: { port: 9090 } });
        const { config, errors } = await layered(subject);
        await subject.writeRaw?.('{ "app": { "port": 91');
        const loaded = await subject.source.load().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(isMicroError(loaded) && loaded.code).toBe('BAD_REQUEST');
        expect(isMicroError(loaded) && loaded.detail).toContain(subject.source.name);
        expect((await config.reload()).type).toBe('rejected');
        expect(config.get('app.port')).toBe(9090);
        expect(errors.length).toBeGreaterThanOrEqual(1);
        await config.close();
      },
    );
  });
}
