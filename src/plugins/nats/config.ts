/**
 * A {@link ConfigSource} on a JetStream KV key: the layer is a JSON or YAML document in one key,
 * and the KV watch pushes every change (no polling), so a hot reload follows a write within a
 * round trip. Write with any KV client: `nats kv put <bucket> <key> '{"db":{"pool":8}}'`.
 */
import type { KV } from '@nats-io/kv';
import { type ConfigFormat, checkFormat, parseDocument } from '../../micro/config/document.js';
import type { ConfigSource } from '../../micro/config/types.js';
import { badRequest } from '../../micro/errors.js';
import { Kvm, KvWatchInclude } from './client.js';
import { attempt, lazyConnection, type NatsOptions, resolveNatsOptions } from './connection.js';
import { encodeKey } from './store.js';

export interface NatsConfigSourceOptions extends NatsOptions {
  /** KV bucket. Required; letters, digits, `_` and `-`. */
  readonly bucket: string;
  /** Key holding the document. Required. */
  readonly key: string;
  /** Default: json. */
  readonly format?: ConfigFormat;
}

export function natsConfigSource(options: NatsConfigSourceOptions): ConfigSource {
  const config = resolveNatsOptions(options);
  if (!/^[A-Za-z0-9_-]+$/.test(options.bucket ?? ''))
    throw badRequest(
      `natsConfigSource: bucket must be letters, digits, "_" and "-", got ${JSON.stringify(options.bucket)}`,
    );
  if (typeof options.key !== 'string' || options.key === '')
    throw badRequest('natsConfigSource: key must be a non-empty string');
  const name = `nats kv ${options.bucket}/${options.key}`;
  const format = checkFormat(name, options.format ?? 'json');
  const key = encodeKey(options.key);
  const connection = lazyConnection(config);
  let kv: Promise<KV> | undefined;
  const bucket = () => {
    kv ??= attempt('open bucket', async () => new Kvm(await connection()).create(options.bucket, { history: 1 }));
    kv.catch(() => {
      kv = undefined;
    });
    return kv;
  };

  return {
    name,
    async load() {
      // While the client reconnects: a retryable UNAVAILABLE at once, not the request's 5 s timeout.
      const kv = await bucket();
      const entry = await attempt('load', () => connection.guard(() => kv.get(key)));
      // An absent (or deleted) key is an empty layer: config may be written there later.
      return entry?.operation === 'PUT' ? parseDocument(name, entry.string(), format) : {};
    },
    watch(onChange) {
      let stopped = false;
      let stop: (() => void) | undefined;
      void (async () => {
        // LastValue, not UpdatesOnly: the watch starts after the first load, and a write landing in
        // between would otherwise be missed for good. The current value comes first and reloads
        // once; the config layer tells listeners only about values that changed.
        const updates = await (await bucket()).watch({ key, include: KvWatchInclude.LastValue });
        stop = () => updates.stop();
        if (stopped) stop();
        for await (const _ of updates) if (!stopped) onChange();
      })().catch(() => undefined);
      return () => {
        stopped = true;
        stop?.();
      };
    },
  };
}
