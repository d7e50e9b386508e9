/**
 * Parsing config documents (JSON or YAML) into a tree, and polling a document for change.
 * Shared by the file source and the store-backed source.
 */
import { parse as parseYaml } from 'yaml';
import { badRequest } from '../errors.js';
import type { Runtime, TimerHandle } from '../runtime.js';
import { checkTree } from './tree.js';
import type { ConfigTree } from './types.js';

export const CONFIG_FORMATS = ['json', 'yaml'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

/** Parse `text` as `format`; throws BAD_REQUEST naming `where` and the parser's complaint. */
export function parseDocument(where: string, text: string, format: ConfigFormat): ConfigTree {
  let parsed: unknown;
  try {
    parsed = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw badRequest(`${where}: not valid ${format.toUpperCase()}: ${reason}`, { cause: error });
  }
  // An empty YAML document is an empty layer.
  if (parsed === null || parsed === undefined) return {};
  return checkTree(where, parsed);
}

export function checkFormat(where: string, format: unknown): ConfigFormat {
  if (!CONFIG_FORMATS.includes(format as ConfigFormat))
    throw badRequest(`${where}: format must be one of ${CONFIG_FORMATS.join(', ')}, got ${String(format)}`);
  return format as ConfigFormat;
}

/**
 * Every `intervalMs` on `runtime`, read the document's current version stamp; when it differs
 * from the version the source last loaded (`loaded()`), call `onChange` — once per distinct
 * stamp, so a document that stays bad is reported once, not on every poll. A failing read is a
 * stamp of its own (so the reload runs and reports the failure). One check at a time.
 * Returns a function that stops polling.
 */
export function pollForChange(
  runtime: Runtime,
  intervalMs: number,
  current: () => Promise<string>,
  loaded: () => string | undefined,
  onChange: () => void,
): () => void {
  let notified: string | undefined;
  let busy = false;
  const handle: TimerHandle = runtime.timers.setInterval(() => {
    if (busy) return;
    busy = true;
    void current()
      .catch((error: unknown) => `error: ${String(error)}`)
      .then((now) => {
        busy = false;
        const last = loaded();
        if (last === undefined || now === last || now === notified) return;
        notified = now;
        onChange();
      });
  }, intervalMs);
  return () => handle.cancel();
}
