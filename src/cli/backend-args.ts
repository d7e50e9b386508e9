/**
 * The flags every service command shares: where the registry (and, for `publish`, the broker; for
 * `config`, the store) lives, under which prefix, and `--json`. Each falls back to an environment
 * variable (MICROCOSM_REGISTRY, MICROCOSM_BROKER, MICROCOSM_STORE, MICROCOSM_PREFIX). Checked
 * before anything connects: an unknown scheme or a missing URL is a UsageError (exit 2).
 */
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

export { parseFlags as parseStrict } from './flags.js';

export const SCHEMES = {
  registry: ['redis', 'nats'],
  broker: ['redis', 'nats'],
  store: ['redis', 'nats', 'postgres', 'postgresql', 'mysql', 'mariadb'],
} as const;

export type BackendKind = keyof typeof SCHEMES;

export interface BackendUrl {
  readonly scheme: string;
  readonly url: string;
}

export const BACKEND_OPTIONS = {
  registry: { type: 'string' },
  broker: { type: 'string' },
  store: { type: 'string' },
  prefix: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const BACKEND_USAGE = `backends (flag, else environment):
  --registry URL    redis://… or nats://…   (MICROCOSM_REGISTRY)
  --broker URL      redis://… or nats://…   (MICROCOSM_BROKER; publish only)
  --store URL       redis://, nats://, postgres:// or mysql://…   (MICROCOSM_STORE; config only)
  --prefix P        the plugins' key/subject prefix (MICROCOSM_PREFIX; default: the plugin's)
  --json            machine-readable output on stdout`;

const ENV: Record<BackendKind, string> = {
  registry: 'MICROCOSM_REGISTRY',
  broker: 'MICROCOSM_BROKER',
  store: 'MICROCOSM_STORE',
};

export function backendUrl(
  kind: BackendKind,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): BackendUrl {
  const url = flag ?? env[ENV[kind]];
  if (url === undefined || url === '') throw new UsageError(`--${kind} URL is required (or set ${ENV[kind]})`);
  const scheme = /^([a-z]+):\/\//.exec(url)?.[1];
  const allowed: readonly string[] = SCHEMES[kind];
  if (scheme === undefined || !allowed.includes(scheme))
    throw new UsageError(`--${kind}: expected a ${allowed.map((s) => `${s}://`).join(' or ')} URL, got "${url}"`);
  return { scheme, url };
}

export function prefixOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const prefix = flag ?? env.MICROCOSM_PREFIX;
  if (prefix !== undefined && !/^[\w:.-]+$/.test(prefix))
    throw new UsageError(`--prefix: letters, digits, "_", ":", "." and "-" only, got "${prefix}"`);
  return prefix === '' ? undefined : prefix;
}

/** A JSON argument, or a UsageError naming which one is not JSON. */
export function jsonArg(name: string, text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not JSON: ${(error as Error).message}`);
  }
}
