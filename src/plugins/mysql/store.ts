/**
 * The MariaDB / MySQL {@link StoreDriver}: one InnoDB table per scope, under the shared `createStore`.
 *
 * Layout: scope (database, table) lives in `` `<schema>`.`<prefix>_store_<database>.<table>` ``
 * (names longer than the 64-character identifier limit are shortened with a hash), columns
 * `` `key` VARBINARY(3072) PRIMARY KEY `` (the key's UTF-8 bytes: 1024 UTF-16 units are at most
 * 3072 bytes, InnoDB's longest index key), `value LONGBLOB`, `metadata LONGTEXT` (JSON),
 * `revision BIGINT`, `expires_at DOUBLE` (epoch ms on the store's clock, NULL = never).
 *
 * Revisions come from one counter row per scope in `<prefix>_store_revisions`, taken with
 * `INSERT … ON DUPLICATE KEY UPDATE revision = LAST_INSERT_ID(revision + 1)` inside the same
 * transaction as the write. The counter's row lock is held until commit, so writes to one scope
 * commit in revision order and a key's revision grows even across deletes and racing writers.
 * Compare-and-set inside that transaction is `UPDATE … WHERE key = ? AND revision = ?` (or a plain
 * INSERT whose duplicate-key error means "already exists"); a mismatch rolls back.
 * Deletes are one statement and need no counter.
 *
 * TTL: `expires_at` is filtered on read by the shared layer; a scan deletes the rows it met that
 * expired longer than {@link DEFAULT_SWEEP_GRACE_MS} ago, by primary key.
 */
import { createHash } from 'node:crypto';
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';
import type { DriverEntry, DriverPutResult, StoreDriver, StoreMetadata, StoreScope } from '../../micro/store/types.js';
import {
  ER_DUP_ENTRY,
  type Header,
  type MysqlOptions,
  type MysqlTransaction,
  openMysql,
  type Rows,
  resolveMysqlOptions,
} from './connection.js';

export interface MysqlStoreOptions extends MysqlOptions {
  /** Clock for the lazy sweep of expired rows; pass the store's runtime. Default: the live runtime. */
  readonly runtime?: Runtime;
}

export const DEFAULT_SWEEP_GRACE_MS = 1_000;
const MAX_IDENTIFIER_LENGTH = 64;

interface Row {
  key: Buffer;
  value: Buffer;
  metadata: string | Buffer | StoreMetadata;
  revision: number | string;
  expires_at: number | null;
}

const COLUMNS = '`key`, value, metadata, revision, expires_at';

export function mysqlStoreDriver(options: MysqlStoreOptions = {}): StoreDriver {
  const config = resolveMysqlOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const db = openMysql(config);
  const revisions = db.qualified('store_revisions');
  const tables = new Map<string, Promise<string>>();

  /** The scope's quoted table name, created on first use. */
  function table(scope: StoreScope): Promise<string> {
    const id = scopeId(scope);
    let ready = tables.get(id);
    if (ready === undefined) {
      ready = createTable(tableName(config.tablePrefix, id));
      ready.catch(() => tables.delete(id));
      tables.set(id, ready);
    }
    return ready;
  }

  async function createTable(name: string): Promise<string> {
    const qualified = config.schema === undefined ? `\`${name}\`` : `\`${config.schema}\`.\`${name}\``;
    await db.ensure([
      `CREATE TABLE IF NOT EXISTS ${revisions} (
         scope VARBINARY(200) PRIMARY KEY,
         revision BIGINT NOT NULL) ENGINE=InnoDB`,
      `CREATE TABLE IF NOT EXISTS ${qualified} (
         \`key\` VARBINARY(3072) PRIMARY KEY,
         value LONGBLOB NOT NULL,
         metadata LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
         revision BIGINT NOT NULL,
         expires_at DOUBLE NULL) ENGINE=InnoDB ROW_FORMAT=DYNAMIC`,
    ]);
    return qualified;
  }

  /** The next revision of the scope; locks the scope's counter until the transaction ends. */
  async function nextRevision(tx: MysqlTransaction, scope: StoreScope): Promise<number> {
    const header = await tx.execute<Header>(
      `INSERT INTO ${revisions} (scope, revision) VALUES (?, LAST_INSERT_ID(1))
       ON DUPLICATE KEY UPDATE revision = LAST_INSERT_ID(revision + 1)`,
      [Buffer.from(scopeId(scope))],
    );
    return Number(header.insertId);
  }

  async function read(t: string, key: string, tx?: MysqlTransaction): Promise<DriverEntry | undefined> {
    const sql = `SELECT ${COLUMNS} FROM ${t} WHERE \`key\` = ?`;
    const rows = tx ? await tx.execute<Rows>(sql, [utf8(key)]) : await db.execute<Rows>('store get', sql, [utf8(key)]);
    const row = rows[0] as Row | undefined;
    return row && decode(row);
  }

  return {
    name: 'mysql',

    async get(scope, key) {
      return read(await table(scope), key);
    },

    async put(scope, entry, ifRevision) {
      const t = await table(scope);
      const key = utf8(entry.key);
      const value = Buffer.from(entry.value);
      const metadata = JSON.stringify(entry.metadata);
      const expiresAt = entry.expiresAt ?? null;
      return db.transaction<DriverPutResult>('store put', async (tx) => {
        const revision = await nextRevision(tx, scope);
        let written: boolean;
        if (ifRevision === undefined) {
          await tx.execute<Header>(
            `INSERT INTO ${t} (${COLUMNS}) VALUES (?, ?, ?, ?, ?)
             ON DUPLICATE KEY UPDATE value = VALUES(value), metadata = VALUES(metadata),
               revision = VALUES(revision), expires_at = VALUES(expires_at)`,
            [key, value, metadata, revision, expiresAt],
          );
          written = true;
        } else if (ifRevision === 0) {
          written = await tx
            .execute<Header>(`INSERT INTO ${t} (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
              key,
              value,
              metadata,
              revision,
              expiresAt,
            ])
            .then(
              () => true,
              (error: unknown) => {
                if ((error as { errno?: number }).errno === ER_DUP_ENTRY) return false;
                throw error;
              },
            );
        } else {
          // The new revision always differs, so affectedRows counts the matched row either way.
          const header = await tx.execute<Header>(
            `UPDATE ${t} SET value = ?, metadata = ?, revision = ?, expires_at = ?
             WHERE \`key\` = ? AND revision = ?`,
            [value, metadata, revision, expiresAt, key, ifRevision],
          );
          written = header.affectedRows === 1;
        }
        if (written) return { commit: true, result: { type: 'ok', revision } };
        return { commit: false, result: { type: 'conflict', current: await read(t, entry.key, tx) } };
      });
    },

    async delete(scope, key, ifRevision) {
      const t = await table(scope);
      if (ifRevision === 0) {
        const current = await read(t, key);
        return current === undefined ? { type: 'ok', deleted: false } : { type: 'conflict', current };
      }
      const { affectedRows } =
        ifRevision === undefined
          ? await db.execute<Header>('store delete', `DELETE FROM ${t} WHERE \`key\` = ?`, [utf8(key)])
          : await db.execute<Header>('store delete', `DELETE FROM ${t} WHERE \`key\` = ? AND revision = ?`, [
              utf8(key),
              ifRevision,
            ]);
      if (affectedRows === 1 || ifRevision === undefined) return { type: 'ok', deleted: affectedRows === 1 };
      return { type: 'conflict', current: await read(t, key) };
    },

    async *scan(scope, prefix) {
      const t = await table(scope);
      const start = utf8(prefix);
      const rows =
        start.length === 0
          ? await db.execute<Rows>('store scan', `SELECT ${COLUMNS} FROM ${t}`, [])
          : await db.execute<Rows>('store scan', `SELECT ${COLUMNS} FROM ${t} WHERE \`key\` >= ? AND \`key\` < ?`, [
              start,
              successor(start),
            ]);
      const cutoff = runtime.clock.now() - DEFAULT_SWEEP_GRACE_MS;
      const stale = (rows as Row[]).filter((row) => row.expires_at !== null && row.expires_at < cutoff);
      if (stale.length > 0)
        await db.execute<Header>(
          'store sweep',
          `DELETE FROM ${t} WHERE \`key\` IN (${stale.map(() => '?').join(', ')}) AND expires_at < ?`,
          [...stale.map((row) => row.key), cutoff],
        );
      for (const row of rows as Row[]) yield decode(row);
    },

    close: () => db.close(),
  };
}

const scopeId = (scope: StoreScope) => `${scope.database}.${scope.table}`;
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/**
 * The smallest byte string greater than every string starting with `prefix`: its last byte
 * plus one (UTF-8 never holds 0xFF, so there is always room).
 */
function successor(prefix: Buffer): Buffer {
  const next = Buffer.from(prefix);
  next[next.length - 1] = (next[next.length - 1] ?? 0) + 1;
  return next;
}

/** `<prefix>_store_<database>.<table>`, shortened with a hash past the 64-character identifier limit. */
export function tableName(tablePrefix: string, id: string): string {
  const full = `${tablePrefix}_store_${id}`;
  if (full.length <= MAX_IDENTIFIER_LENGTH) return full;
  const hash = createHash('sha1').update(id).digest('hex').slice(0, 12);
  return `${full.slice(0, MAX_IDENTIFIER_LENGTH - hash.length - 1)}~${hash}`;
}

function decode(row: Row): DriverEntry {
  const entry = {
    key: row.key.toString('utf8'),
    value: new Uint8Array(row.value),
    metadata: parseMetadata(row.metadata),
    revision: Number(row.revision),
  };
  return row.expires_at === null ? entry : { ...entry, expiresAt: Number(row.expires_at) };
}

/** MariaDB hands LONGTEXT back as a string; a pool with other type casts may give bytes. */
function parseMetadata(metadata: Row['metadata']): StoreMetadata {
  if (typeof metadata === 'string') return JSON.parse(metadata) as StoreMetadata;
  if (Buffer.isBuffer(metadata)) return JSON.parse(metadata.toString('utf8')) as StoreMetadata;
  return metadata;
}
