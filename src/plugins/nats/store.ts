/**
 * The NATS {@link StoreDriver}, on JetStream KV.
 *
 * Layout: scope {database, table} is the KV bucket `<PREFIX>_<database>_<table>` (each part
 * escaped by {@link jetStreamName}); a record key is the KV key with every character outside
 * `[A-Za-z0-9-]` escaped the same way (prefix-preserving, so a prefix scan is a filter over the
 * bucket's keys). The value is `u32 length ‖ JSON {m: metadata, e?: expiresAt} ‖ value bytes`.
 * The record's revision is the KV revision (the stream sequence: increasing per bucket), so
 * compare-and-set is KV's own `update(key, value, revision)` / `create` — atomic on the server.
 * Expiry is the shared store layer's (on its runtime clock); no native TTL is used.
 */
import type { KV } from '@nats-io/kv';
import type {
  DriverDeleteResult,
  DriverEntry,
  DriverEntryInput,
  DriverPutResult,
  StoreDriver,
  StoreScope,
} from '../../micro/store/types.js';
import { Kvm } from './client.js';
import { attempt, lazyConnection, type NatsOptions, resolveNatsOptions } from './connection.js';
import { jetStreamName } from './names.js';

export type NatsStoreOptions = NatsOptions;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeKey(key: string): string {
  return jetStreamName(key);
}

function decodeKey(encoded: string): string {
  return encoded.replace(/_([0-9a-f]+)_/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
}

function encodeValue(entry: DriverEntryInput): Uint8Array {
  const meta = encoder.encode(
    JSON.stringify(entry.expiresAt === undefined ? { m: entry.metadata } : { m: entry.metadata, e: entry.expiresAt }),
  );
  const out = new Uint8Array(4 + meta.length + entry.value.length);
  new DataView(out.buffer).setUint32(0, meta.length);
  out.set(meta, 4);
  out.set(entry.value, 4 + meta.length);
  return out;
}

function decodeEntry(key: string, revision: number, bytes: Uint8Array): DriverEntry {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const meta = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length))) as { m: DriverEntry['metadata']; e?: number };
  const value = bytes.slice(4 + length);
  return meta.e === undefined
    ? { key, value, metadata: meta.m, revision }
    : { key, value, metadata: meta.m, revision, expiresAt: meta.e };
}

const isWrongSequence = (error: unknown) =>
  error instanceof Error && /wrong last sequence|key exists/i.test(error.message);

export function natsStoreDriver(options: NatsStoreOptions = {}): StoreDriver {
  const config = resolveNatsOptions(options);
  const connection = lazyConnection(config);
  const buckets = new Map<string, Promise<KV>>();

  const bucket = (scope: StoreScope): Promise<KV> => {
    const name = [config.prefix, scope.database, scope.table].map(jetStreamName).join('_');
    let kv = buckets.get(name);
    if (!kv) {
      kv = attempt('open bucket', async () => new Kvm(await connection()).create(name, { history: 1 }));
      kv.catch(() => buckets.delete(name));
      buckets.set(name, kv);
    }
    return kv;
  };

  const get = async (scope: StoreScope, key: string): Promise<DriverEntry | undefined> => {
    const kv = await bucket(scope);
    const entry = await attempt('get', () => connection.guard(() => kv.get(encodeKey(key))));
    if (entry?.operation !== 'PUT') return undefined;
    return decodeEntry(key, entry.revision, entry.value);
  };

  return {
    name: 'nats-kv',
    get,

    async put(scope, entry, ifRevision): Promise<DriverPutResult> {
      const kv = await bucket(scope);
      const key = encodeKey(entry.key);
      const value = encodeValue(entry);
      try {
        const revision = await connection.guard(() =>
          ifRevision === undefined
            ? kv.put(key, value)
            : ifRevision === 0
              ? kv.create(key, value)
              : kv.update(key, value, ifRevision),
        );
        return { type: 'ok', revision };
      } catch (error) {
        if (ifRevision !== undefined && isWrongSequence(error))
          return { type: 'conflict', current: await get(scope, entry.key) };
        throw await attempt('put', () => Promise.reject(error)).catch((e: unknown) => e);
      }
    },

    async delete(scope, key, ifRevision): Promise<DriverDeleteResult> {
      const current = await get(scope, key);
      if (ifRevision !== undefined && (current?.revision ?? 0) !== ifRevision) return { type: 'conflict', current };
      if (!current) return { type: 'ok', deleted: false };
      const kv = await bucket(scope);
      try {
        await connection.guard(() => kv.delete(encodeKey(key), { previousSeq: current.revision }));
        return { type: 'ok', deleted: true };
      } catch (error) {
        if (isWrongSequence(error)) {
          const now = await get(scope, key);
          if (ifRevision !== undefined) return { type: 'conflict', current: now };
          return now ? this.delete(scope, key, undefined) : { type: 'ok', deleted: false };
        }
        throw await attempt('delete', () => Promise.reject(error)).catch((e: unknown) => e);
      }
    },

    async *scan(scope, prefix) {
      const kv = await bucket(scope);
      const wanted = encodeKey(prefix);
      const keys: string[] = [];
      for await (const key of await attempt('scan', () => kv.keys())) if (key.startsWith(wanted)) keys.push(key);
      for (const key of keys) {
        const entry = await get(scope, decodeKey(key));
        if (entry) yield entry;
      }
    },

    async close() {
      const nc = await connection().catch(() => undefined);
      await nc?.close().catch(() => undefined);
    },
  };
}
