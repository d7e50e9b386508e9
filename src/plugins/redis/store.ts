/**
 * The Redis {@link StoreDriver}: the primitives under `createStore` (TTL filtering, ordering,
 * offset/limit and validation are shared code above it).
 *
 * On-wire layout (readable with any Redis client; see docs/architecture.md):
 * - a record is a hash at `<prefix>:store:<database>:<table>:k:<key>` with fields
 *   `value` (the raw bytes), `metadata` (JSON object of strings), `revision` (decimal integer)
 *   and, for a record with a TTL, `expiresAt` (epoch ms, decimal);
 * - revisions come from one counter per scope, `<prefix>:store:<database>:<table>:revision`
 *   (INCR), so a key's revision grows even across deletes.
 *
 * `put` and `delete` are Lua scripts, so compare-and-set by revision is atomic on the server.
 * A record with a TTL also gets a native PEXPIRE, `expiresAt` plus {@link DEFAULT_EXPIRY_GRACE_MS}
 * from the runtime's now, so Redis reclaims it; reads never rely on that (the shared layer
 * filters by `expiresAt`). `scan` uses SCAN with a MATCH on the escaped prefix.
 */
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';
import type {
  DriverDeleteResult,
  DriverEntry,
  DriverPutResult,
  StoreDriver,
  StoreMetadata,
  StoreScope,
} from '../../micro/store/types.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';
import { escapeGlob, luaScript } from './script.js';

export interface RedisStoreOptions extends RedisOptions {
  /** Clock for native expiry; pass the store's runtime. Default: the live runtime. */
  readonly runtime?: Runtime;
  /** Redis drops an expired record natively this long after `expiresAt`. Default: {@link DEFAULT_EXPIRY_GRACE_MS}. */
  readonly expiryGraceMs?: number;
}

export const DEFAULT_EXPIRY_GRACE_MS = 1_000;
const SCAN_COUNT = 500;
const FIELDS = ['value', 'metadata', 'revision', 'expiresAt'] as const;

const PUT = luaScript(`
local current = redis.call('HMGET', KEYS[1], 'value', 'metadata', 'revision', 'expiresAt')
if ARGV[1] ~= '' and tonumber(current[3] or '0') ~= tonumber(ARGV[1]) then
  return {'conflict', current[1], current[2], current[3], current[4]}
end
local revision = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
if ARGV[4] == '' then
  redis.call('HSET', KEYS[1], 'value', ARGV[2], 'metadata', ARGV[3], 'revision', revision)
else
  redis.call('HSET', KEYS[1], 'value', ARGV[2], 'metadata', ARGV[3], 'revision', revision, 'expiresAt', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {'ok', revision}
`);

const DELETE = luaScript(`
local current = redis.call('HMGET', KEYS[1], 'value', 'metadata', 'revision', 'expiresAt')
if ARGV[1] ~= '' and tonumber(current[3] or '0') ~= tonumber(ARGV[1]) then
  return {'conflict', current[1], current[2], current[3], current[4]}
end
return {'ok', redis.call('DEL', KEYS[1])}
`);

type Fields = readonly (Buffer | null)[];

export function redisStoreDriver(options: RedisStoreOptions = {}): StoreDriver {
  const config = resolveRedisOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const graceMs = options.expiryGraceMs ?? DEFAULT_EXPIRY_GRACE_MS;
  const connection = openRedis(config);
  const { redis } = connection;
  const scopeKey = (scope: StoreScope) => `${config.prefix}:store:${scope.database}:${scope.table}`;
  const recordKey = (scope: StoreScope, key: string) => `${scopeKey(scope)}:k:${key}`;

  return {
    name: 'redis',

    get: (scope, key) =>
      attempt('store get', async () => decode(key, await redis.hmgetBuffer(recordKey(scope, key), ...FIELDS))),

    put: (scope, entry, ifRevision) =>
      attempt('store put', async () => {
        const expiresAt = entry.expiresAt;
        const nativeTtl = expiresAt === undefined ? '' : Math.max(1, expiresAt - runtime.clock.now() + graceMs);
        const reply = (await PUT.run(
          redis,
          [recordKey(scope, entry.key), `${scopeKey(scope)}:revision`],
          [
            ifRevision ?? '',
            Buffer.from(entry.value.buffer, entry.value.byteOffset, entry.value.byteLength),
            JSON.stringify(entry.metadata),
            expiresAt ?? '',
            nativeTtl,
          ],
        )) as [Buffer, ...unknown[]];
        return outcome<DriverPutResult>(entry.key, reply, (revision) => ({ type: 'ok', revision }));
      }),

    delete: (scope, key, ifRevision) =>
      attempt('store delete', async () => {
        const reply = (await DELETE.run(redis, [recordKey(scope, key)], [ifRevision ?? ''])) as [Buffer, ...unknown[]];
        return outcome<DriverDeleteResult>(key, reply, (deleted) => ({ type: 'ok', deleted: deleted === 1 }));
      }),

    async *scan(scope, prefix) {
      const base = `${scopeKey(scope)}:k:`;
      const match = `${escapeGlob(base + prefix)}*`;
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await attempt('store scan', () => redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT));
        cursor = next;
        const fresh = keys.filter((k) => !seen.has(k));
        for (const k of fresh) seen.add(k);
        if (fresh.length === 0) continue;
        const pipeline = redis.pipeline();
        for (const k of fresh) pipeline.hmgetBuffer(k, ...FIELDS);
        const replies = await attempt('store scan', async () => (await pipeline.exec()) ?? []);
        for (const [i, k] of fresh.entries()) {
          const [error, fields] = replies[i] ?? [];
          if (error) throw error;
          const entry = decode(k.slice(base.length), fields as Fields);
          if (entry !== undefined) yield entry;
        }
      } while (cursor !== '0');
    },

    close: () => connection.close(),
  };
}

/** A hash's fields as a driver entry; undefined when the hash is gone. */
function decode(key: string, [value, metadata, revision, expiresAt]: Fields): DriverEntry | undefined {
  if (value == null || revision == null) return undefined;
  const entry = {
    key,
    value: new Uint8Array(value),
    metadata: JSON.parse(metadata?.toString() ?? '{}') as StoreMetadata,
    revision: Number(revision.toString()),
  };
  return expiresAt == null ? entry : { ...entry, expiresAt: Number(expiresAt.toString()) };
}

function outcome<R>(key: string, [status, ...rest]: [Buffer, ...unknown[]], ok: (n: number) => R): R {
  if (status.toString() === 'ok') return ok(Number(rest[0]));
  return { type: 'conflict', current: decode(key, rest as Fields) } as R;
}
