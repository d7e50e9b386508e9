/**
 * In-process config sources: `defaultsSource` (a fixed tree), `memorySource` (a tree you can
 * change at run time, which triggers a reload) and `envSource` (environment variables mapped
 * to paths by a prefix and a separator).
 */
import { badRequest } from '../errors.js';
import { checkTree, parsePath, setAt } from './tree.js';
import type { ConfigSource, ConfigTree, ConfigValue } from './types.js';

/** The lowest layer: a fixed tree. */
export function defaultsSource(tree: ConfigTree): ConfigSource {
  const frozen = structuredClone(checkTree('defaultsSource', tree));
  return { name: 'defaults', load: async () => structuredClone(frozen) };
}

export interface MemorySource extends ConfigSource {
  /** Set the value at a dotted path (the root with `''`), then notify watchers. */
  set(path: string, value: ConfigValue): void;
  /** Replace the whole tree, then notify watchers. */
  replace(tree: ConfigTree): void;
}

/** A tree held in memory; every change notifies watchers (so the config reloads). */
export function memorySource(initial: ConfigTree = {}, name = 'memory'): MemorySource {
  let tree = structuredClone(checkTree(`memorySource "${name}"`, initial));
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const watcher of [...watchers]) watcher();
  };
  return {
    name,
    load: async () => structuredClone(tree),
    watch(onChange) {
      watchers.add(onChange);
      return () => watchers.delete(onChange);
    },
    set(path, value) {
      const segments = parsePath(`memorySource "${name}".set`, path);
      tree = setAt(tree, segments, structuredClone(value));
      changed();
    },
    replace(next) {
      tree = structuredClone(checkTree(`memorySource "${name}".replace`, next));
      changed();
    },
  };
}

export interface EnvSourceOptions {
  /** Only variables starting with this, which is then stripped, e.g. `APP_`. Required. */
  readonly prefix: string;
  /** Separates path segments, e.g. `APP_DB__HOST` → `db.host`. Default: {@link DEFAULT_ENV_SEPARATOR}. */
  readonly separator?: string;
  /** Variables to read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Turns a variable's segment into a path segment. Default: lower-case. */
  readonly key?: (segment: string) => string;
  /** Read `true`, `false`, `null` and numbers as such (else all values are strings). Default: true. */
  readonly parseValues?: boolean;
}

export const DEFAULT_ENV_SEPARATOR = '__';

/** Environment variables as a layer: `APP_DB__POOL__MAX=10` → `{ db: { pool: { max: 10 } } }`. */
export function envSource(options: EnvSourceOptions): ConfigSource {
  const { prefix } = options;
  if (typeof prefix !== 'string' || prefix === '')
    throw badRequest('envSource: prefix must be a non-empty string (e.g. "APP_")');
  const separator = options.separator ?? DEFAULT_ENV_SEPARATOR;
  if (separator === '') throw badRequest('envSource: separator must be a non-empty string');
  const toKey = options.key ?? ((segment: string) => segment.toLowerCase());
  const parseValues = options.parseValues ?? true;
  const name = `env ${prefix}*`;
  return {
    name,
    async load() {
      const env = options.env ?? process.env;
      let tree: ConfigTree = {};
      // A variable naming an object that another variable writes inside would be lost silently.
      const leaves = new Map<string, string>();
      const parents = new Map<string, string>();
      for (const variable of Object.keys(env).sort()) {
        const raw = env[variable];
        if (raw === undefined || !variable.startsWith(prefix)) continue;
        const segments = variable.slice(prefix.length).split(separator).map(toKey);
        if (segments.some((s) => s === '')) throw badRequest(`${name}: variable ${variable} has an empty path segment`);
        const path = segments.join('.');
        const above = segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('.'));
        const clash = leaves.get(path) ?? parents.get(path) ?? above.map((p) => leaves.get(p)).find(Boolean);
        if (clash !== undefined)
          throw badRequest(`${name}: ${clash} and ${variable} both set "${path}" or a parent of it`);
        leaves.set(path, variable);
        for (const p of above) parents.set(p, variable);
        tree = setAt(tree, segments, parseValues ? scalar(raw) : raw);
      }
      return tree;
    },
  };
}

function scalar(raw: string): ConfigValue {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || raw.includes('.') || /e/i.test(raw))) return n;
  }
  return raw;
}
