/**
 * fileSource: a JSON or YAML file as a config layer, re-read when it changes (by polling on
 * the runtime's timers, so a simulation controls when).
 */
import { readFile } from 'node:fs/promises';
import { badRequest } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Runtime } from '../runtime.js';
import { checkTtl } from '../store/validate.js';
import { type ConfigFormat, checkFormat, parseDocument, pollForChange } from './document.js';
import type { ConfigSource } from './types.js';

export const DEFAULT_FILE_POLL_MS = 1_000;

export interface FileSourceOptions {
  /** Default: from the extension (`.yaml`/`.yml` → yaml, else json). */
  readonly format?: ConfigFormat;
  /** How often to check for changes, in ms. Default: {@link DEFAULT_FILE_POLL_MS}. */
  readonly pollMs?: number;
  /** A missing file is an empty layer instead of an error. Default: false. */
  readonly optional?: boolean;
  /** Timers for polling. Default: liveRuntime. */
  readonly runtime?: Runtime;
  /** How to read the file (tests, virtual disks). Default: `fs.readFile` as UTF-8. */
  readonly read?: (path: string) => Promise<string>;
}

export function fileSource(path: string, options: FileSourceOptions = {}): ConfigSource {
  if (typeof path !== 'string' || path === '') throw badRequest('fileSource: path must be a non-empty string');
  const format = checkFormat(`fileSource "${path}"`, options.format ?? (/\.ya?ml$/i.test(path) ? 'yaml' : 'json'));
  const pollMs = checkTtl(`fileSource "${path}"`, options.pollMs, 'pollMs') ?? DEFAULT_FILE_POLL_MS;
  const read = options.read ?? ((p: string) => readFile(p, 'utf8'));
  const runtime = options.runtime ?? liveRuntime;
  const name = `file ${path}`;

  async function text(): Promise<string | undefined> {
    try {
      return await read(path);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') {
        if (options.optional) return undefined;
        throw badRequest(`${name}: file not found`, { cause: error });
      }
      throw badRequest(`${name}: cannot read: ${(error as Error).message}`, { cause: error });
    }
  }

  const MISSING = '<missing>';
  let loaded: string | undefined;
  return {
    name,
    async load() {
      const content = await text();
      loaded = content ?? MISSING;
      return content === undefined ? {} : parseDocument(name, content, format);
    },
    watch: (onChange) =>
      pollForChange(
        runtime,
        pollMs,
        async () => (await text()) ?? MISSING,
        () => loaded,
        onChange,
      ),
  };
}
