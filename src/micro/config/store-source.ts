/**
 * storeSource: a config layer kept as a JSON or YAML document in a {@link Store} record (so
 * every store backend — memory, the simulated fake, Redis, PostgreSQL, NATS KV — can hold
 * shared config), re-read when the record's revision changes.
 */
import { badRequest } from '../errors.js';
import { liveRuntime } from '../live.js';
import type { Runtime } from '../runtime.js';
import type { Store } from '../store/types.js';
import { checkTtl } from '../store/validate.js';
import { type ConfigFormat, checkFormat, parseDocument, pollForChange } from './document.js';
import type { ConfigSource } from './types.js';

export const DEFAULT_STORE_POLL_MS = 1_000;

export interface StoreSourceOptions {
  readonly store: Store;
  /** The record holding the document. Required. */
  readonly key: string;
  /** Default: json. */
  readonly format?: ConfigFormat;
  /** How often to check the record's revision, in ms. Default: {@link DEFAULT_STORE_POLL_MS}. */
  readonly pollMs?: number;
  /** Timers for polling. Default: liveRuntime. */
  readonly runtime?: Runtime;
}

export function storeSource(options: StoreSourceOptions): ConfigSource {
  const { store, key } = options;
  if (typeof key !== 'string' || key === '') throw badRequest('storeSource: key must be a non-empty string');
  const name = `store ${store.scope.database}/${store.scope.table}/${key}`;
  const format = checkFormat(name, options.format ?? 'json');
  const pollMs = checkTtl(name, options.pollMs, 'pollMs') ?? DEFAULT_STORE_POLL_MS;
  const runtime = options.runtime ?? liveRuntime;
  const revisionOf = (record: { revision: number } | undefined) => String(record?.revision ?? 0);
  let loaded: string | undefined;
  return {
    name,
    async load() {
      const record = await store.read(key);
      loaded = revisionOf(record);
      // An absent record is an empty layer: config may be written there later.
      return record ? parseDocument(name, new TextDecoder().decode(record.value), format) : {};
    },
    watch: (onChange) =>
      pollForChange(
        runtime,
        pollMs,
        async () => revisionOf(await store.read(key)),
        () => loaded,
        onChange,
      ),
  };
}
