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
 * Every `intervalMs` on `runtime`, read a version stamp with `version()`; when it differs
 * from the last one seen, call `onChange`. One check at a time; a failing check counts as a
 * change (so the reload reports the failure). Returns a function that stops polling.
 */
export function pollForChange(
  runtime: Runtime,
  intervalMs: number,
  version: () => Promise<string>,
  onChange: () => void,
): () => void {
  let last: Promise<string> = version().catch((error: unknown) => `error:${String(error)}`);
  let busy = false;
  const handle: TimerHandle = runtime.timers.setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const before = await last;
      const now = await version().catch((error: unknown) => `error:${String(error)}`);
      last = Promise.resolve(now);
      busy = false;
      if (now !== before) onChange();
    })();
  }, intervalMs);
  return () => handle.cancel();
}
