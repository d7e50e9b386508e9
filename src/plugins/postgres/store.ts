/**
 * The PostgreSQL {@link StoreDriver}: one table per scope, under the shared `createStore`.
 *
 * Layout: scope (database, table) lives in `"<schema>"."<prefix>_store_<database>.<table>"`
 * (names longer than PostgreSQL's 63-byte limit are shortened with a hash), columns
 * `key text primary key` (C collation), `value bytea`, `metadata jsonb`, `revision bigint`,
 * `expires_at bigint` (epoch ms, NULL = never). Revisions come from one sequence per schema,
 * `<prefix>_store_revision`, so a key's revision grows even across deletes.
 *
 * Compare-and-set is one statement: `UPDATE … WHERE key = $1 AND revision = $n` (or
 * `INSERT … ON CONFLICT DO NOTHING` for "must not exist"), so racing writers serialise on the row.
 * TTL: `expires_at` is filtered on read by the shared layer; rows expired for longer than
 * {@link DEFAULT_SWEEP_GRACE_MS} are deleted lazily whenever a scope is scanned.
 */
import { createHash } from 'node:crypto';
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';
import type { DriverEntry, StoreDriver, StoreMetadata, StoreScope } from '../../micro/store/types.js';
import { ensure, openPostgres, type PostgresOptions, resolvePostgresOptions } from './connection.js';

export interface PostgresStoreOptions extends PostgresOptions {
  /** Clock for the lazy sweep of expired rows; pass the store's runtime. Default: the live runtime. */
  readonly runtime?: Runtime;
}

export const DEFAULT_SWEEP_GRACE_MS = 1_000;
const MAX_IDENTIFIER_BYTES = 63;

interface Row {
  key: string;
  value: Buffer;
  metadata: StoreMetadata;
  revision: string;
  expires_at: string | null;
}

const COLUMNS = 'key, value, metadata, revision, expires_at';

export function postgresStoreDriver(options: PostgresStoreOptions = {}): StoreDriver {
  const config = resolvePostgresOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const db = openPostgres(config);
  const sequence = db.qualified('store_revision');
  const tables = new Map<string, Promise<string>>();

  /** The scope's quoted table name, created on first use. */
  function table(scope: StoreScope): Promise<string> {
    const id = `${scope.database}.${scope.table}`;
    let ready = tables.get(id);
    if (ready === undefined) {
      ready = createTable(tableName(config.tablePrefix, id));
      ready.catch(() => tables.delete(id));
      tables.set(id, ready);
    }
    return ready;
  }

  async function createTable(name: string): Promise<string> {
    const qualified = `"${config.schema}"."${name}"`;
    await ensure(db, [
      `CREATE SCHEMA IF NOT EXISTS "${config.schema}"`,
      `CREATE SEQUENCE IF NOT EXISTS ${sequence}`,
      `CREATE TABLE IF NOT EXISTS ${qualified} (
         key text COLLATE "C" PRIMARY KEY,
         value bytea NOT NULL,
         metadata jsonb NOT NULL,
         revision bigint NOT NULL,
         expires_at bigint)`,
    ]);
    return qualified;
  }

  return {
    name: 'postgres',

    async get(scope, key) {
      const t = await table(scope);
      const { rows } = await db.query<Row>('store get', `SELECT ${COLUMNS} FROM ${t} WHERE key = $1`, [key]);
      return rows[0] && decode(rows[0]);
    },

    async put(scope, entry, ifRevision) {
      const t = await table(scope);
      const values = [entry.key, Buffer.from(entry.value), JSON.stringify(entry.metadata), entry.expiresAt ?? null];
      const next = `nextval('${sequence.replaceAll("'", "''")}')`;
      const text =
        ifRevision === undefined
          ? `INSERT INTO ${t} (${COLUMNS}) VALUES ($1, $2, $3, ${next}, $4)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, metadata = EXCLUDED.metadata,
               revision = EXCLUDED.revision, expires_at = EXCLUDED.expires_at
             RETURNING revision`
          : ifRevision === 0
            ? `INSERT INTO ${t} (${COLUMNS}) VALUES ($1, $2, $3, ${next}, $4)
               ON CONFLICT (key) DO NOTHING RETURNING revision`
            : `UPDATE ${t} SET value = $2, metadata = $3, revision = ${next}, expires_at = $4
               WHERE key = $1 AND revision = $5 RETURNING revision`;
      const { rows } = await db.query<{ revision: string }>(
        'store put',
        text,
        ifRevision === undefined || ifRevision === 0 ? values : [...values, ifRevision],
      );
      if (rows[0]) return { type: 'ok', revision: Number(rows[0].revision) };
      return { type: 'conflict', current: await this.get(scope, entry.key) };
    },

    async delete(scope, key, ifRevision) {
      const t = await table(scope);
      if (ifRevision === 0) {
        const current = await this.get(scope, key);
        return current === undefined ? { type: 'ok', deleted: false } : { type: 'conflict', current };
      }
      const { rowCount } =
        ifRevision === undefined
          ? await db.query('store delete', `DELETE FROM ${t} WHERE key = $1`, [key])
          : await db.query('store delete', `DELETE FROM ${t} WHERE key = $1 AND revision = $2`, [key, ifRevision]);
      if (rowCount === 1 || ifRevision === undefined) return { type: 'ok', deleted: rowCount === 1 };
      return { type: 'conflict', current: await this.get(scope, key) };
    },

    async *scan(scope, prefix) {
      const t = await table(scope);
      await db.query('store sweep', `DELETE FROM ${t} WHERE expires_at < $1`, [
        runtime.clock.now() - DEFAULT_SWEEP_GRACE_MS,
      ]);
      const { rows } = await db.query<Row>('store scan', `SELECT ${COLUMNS} FROM ${t} WHERE starts_with(key, $1)`, [
        prefix,
      ]);
      for (const row of rows) yield decode(row);
    },

    close: () => db.close(),
  };
}

/** `<prefix>_store_<database>.<table>`, shortened with a hash past PostgreSQL's identifier limit. */
export function tableName(tablePrefix: string, scopeId: string): string {
  const full = `${tablePrefix}_store_${scopeId}`;
  if (Buffer.byteLength(full) <= MAX_IDENTIFIER_BYTES) return full;
  const hash = createHash('sha1').update(scopeId).digest('hex').slice(0, 12);
  return `${full.slice(0, MAX_IDENTIFIER_BYTES - hash.length - 1)}~${hash}`;
}

function decode(row: Row): DriverEntry {
  const entry = {
    key: row.key,
    value: new Uint8Array(row.value),
    metadata: row.metadata,
    revision: Number(row.revision),
  };
  return row.expires_at === null ? entry : { ...entry, expiresAt: Number(row.expires_at) };
}
