/**
 * createConfig: sources merged by precedence into one tree, validated, watched and hot
 * reloaded. A reload that fails changes nothing; the last good config stays, and the
 * failure goes to `onError` and the logger.
 */
import type { z } from 'zod';
import { badRequest, isMicroError, MicroError } from '../errors.js';
import { consoleLogger } from '../logger/console.js';
import type { Logger } from '../logger/types.js';
import { deepEqual, getAt, merge, parsePath } from './tree.js';
import type { Config, ConfigListener, ConfigSource, ConfigTree, ConfigValue, ReloadResult } from './types.js';

export interface ConfigOptions<Shape> {
  /** Layers, lowest precedence first. Required (may be empty). */
  readonly sources: readonly ConfigSource[];
  /** Every accepted load must parse with this. Default: none (any tree). */
  readonly schema?: z.ZodType<Shape>;
  /** Told about every rejected reload. Default: none (the logger still warns). */
  readonly onError?: (error: MicroError) => void;
  /** Default: a console logger at warn level. */
  readonly logger?: Logger;
  /** Reload when a source reports a change. Default: true. */
  readonly watch?: boolean;
}

/** Turn zod issues into one message naming each bad path (joined under `base`). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], base: readonly string[] = []): string {
  return issues
    .map((issue) => {
      const path = [...base, ...issue.path.map(String)].join('.');
      return `${path === '' ? '(root)' : `"${path}"`}: ${issue.message}`;
    })
    .join('; ');
}

/** Load every source and build a config; rejects with a clear error if the first load fails. */
export async function createConfig<Shape = ConfigTree>(options: ConfigOptions<Shape>): Promise<Config<Shape>> {
  if (!Array.isArray(options.sources)) throw badRequest('createConfig: sources must be an array of config sources');
  for (const [i, source] of options.sources.entries()) {
    if (typeof source?.load !== 'function')
      throw badRequest(`createConfig: sources[${i}] is not a config source (it has no load())`);
  }
  const sources = [...options.sources];
  const logger = options.logger ?? consoleLogger();
  const watchers = new Map<number, { segments: readonly string[]; listener: ConfigListener }>();
  let nextWatcher = 0;
  let tree: ConfigTree = {};
  let parsed: Shape;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function load(): Promise<{ tree: ConfigTree; parsed: Shape }> {
    let merged: ConfigTree = {};
    for (const layer of await Promise.all(sources.map((s) => s.load()))) merged = merge(merged, layer);
    if (!options.schema) return { tree: merged, parsed: merged as Shape };
    const result = options.schema.safeParse(merged);
    if (!result.success) throw badRequest(`config rejected by its schema: ${describeIssues(result.error.issues)}`);
    return { tree: merged, parsed: result.data };
  }

  function apply(next: { tree: ConfigTree; parsed: Shape }): boolean {
    const previous = tree;
    tree = next.tree;
    parsed = next.parsed;
    for (const { segments, listener } of [...watchers.values()]) {
      const before = getAt(previous, segments);
      const after = getAt(tree, segments);
      if (deepEqual(before, after)) continue;
      try {
        listener(after, before);
      } catch (error) {
        logger.error('config watch listener threw', { path: segments.join('.'), error: String(error) });
      }
    }
    return !deepEqual(previous, tree);
  }

  function reload(): Promise<ReloadResult> {
    const run = queue.then(async (): Promise<ReloadResult> => {
      if (closed) return { type: 'applied', changed: false };
      try {
        return { type: 'applied', changed: apply(await load()) };
      } catch (thrown) {
        const error = isMicroError(thrown)
          ? thrown
          : new MicroError('INTERNAL', `config source failed: ${String(thrown)}`, { cause: thrown });
        logger.warn('config reload rejected; keeping the last good config', { error: error.detail });
        options.onError?.(error);
        return { type: 'rejected', error };
      }
    });
    queue = run;
    return run;
  }

  // The first load is fatal: there is no last good config to keep.
  ({ tree, parsed } = await load());
  const unwatch = (options.watch ?? true) ? sources.map((s) => s.watch?.(() => void reload())) : [];

  function get(path: string): ConfigValue | undefined;
  function get<T extends ConfigValue>(path: string, fallback: T): ConfigValue | T;
  function get(path: string, fallback?: ConfigValue): ConfigValue | undefined {
    const value = getAt(tree, parsePath('config.get', path));
    return value === undefined ? fallback : value;
  }

  return {
    snapshot: () => structuredClone(tree),
    get,
    scan(schema, path = '') {
      const segments = parsePath('config.scan', path);
      const result = schema.safeParse(structuredClone(getAt(tree, segments)));
      if (!result.success)
        throw badRequest(`config.scan: invalid config at ${describeIssues(result.error.issues, segments)}`);
      return result.data;
    },
    value: () => parsed,
    watch(path, listener) {
      const id = nextWatcher++;
      watchers.set(id, { segments: parsePath('config.watch', path), listener });
      return () => void watchers.delete(id);
    },
    reload,
    async close() {
      closed = true;
      for (const stop of unwatch) stop?.();
      watchers.clear();
    },
  };
}
