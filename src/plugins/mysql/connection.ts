/**
 * MariaDB / MySQL connections for the mysql plugins: one options shape, a `mysql2` pool, the
 * schema (database) the plugin's tables live in, transactions, and one error mapping.
 *
 * A connection dropped mid-query (server restart, `KILL`, network) rejects that query with a
 * retryable UNAVAILABLE {@link MicroError}; the pool discards the broken connection and the next
 * query gets a fresh one. A statement or transaction that was running when its connection died
 * either committed or did not; an acknowledged one has.
 */
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { badRequest, isMicroError, MicroError } from '../../micro/errors.js';
import { loadPeer } from '../../micro/peer.js';

const mysql = await loadPeer('mysql2', 'mysql', () => import('mysql2/promise'));

export interface MysqlOptions {
  /** Where the server listens, `mysql://user:password@host:port/database`. Default: {@link DEFAULT_MYSQL_URL}. Ignored when `pool` is given. */
  readonly url?: string;
  /** Use this `mysql2/promise` pool instead of opening one; the plugin then never ends it. Default: none. */
  readonly pool?: Pool;
  /** Schema (database) holding the plugin's tables, created if missing. Default: the connection's database (the one in `url`). */
  readonly schema?: string;
  /** Prefix of every table the plugin creates. Default: {@link DEFAULT_MYSQL_TABLE_PREFIX}. */
  readonly tablePrefix?: string;
  /** Most connections the plugin's own pool opens. Default: {@link DEFAULT_MYSQL_POOL_SIZE}. */
  readonly poolSize?: number;
}

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';
export const DEFAULT_MYSQL_TABLE_PREFIX = 'microcosm';
export const DEFAULT_MYSQL_POOL_SIZE = 4;

export interface MysqlConfig {
  readonly url: string;
  readonly pool: Pool | undefined;
  /** Undefined: the connection's own database. */
  readonly schema: string | undefined;
  readonly tablePrefix: string;
  readonly poolSize: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

export function resolveMysqlOptions(options: MysqlOptions = {}): MysqlConfig {
  const schema = options.schema;
  if (schema !== undefined && !IDENTIFIER.test(schema))
    throw badRequest(`mysql: schema must match ${IDENTIFIER}, got ${JSON.stringify(schema)}`);
  const tablePrefix = options.tablePrefix ?? DEFAULT_MYSQL_TABLE_PREFIX;
  if (!IDENTIFIER.test(tablePrefix))
    throw badRequest(`mysql: tablePrefix must match ${IDENTIFIER}, got ${JSON.stringify(tablePrefix)}`);
  const poolSize = options.poolSize ?? DEFAULT_MYSQL_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw badRequest(`mysql: poolSize must be ≥ 1, got ${poolSize}`);
  const url = options.url ?? DEFAULT_MYSQL_URL;
  if (!/^(mysql|mariadb):\/\//.test(url)) throw badRequest(`mysql: url must start with mysql://, got ${url}`);
  return { url, pool: options.pool, schema, tablePrefix, poolSize };
}

/** What a statement gives back: rows for a SELECT, a header (affectedRows, insertId) otherwise. */
export type Rows = RowDataPacket[];
export type Header = ResultSetHeader;
/** What the plugins bind to a statement's `?`s. */
export type Param = string | number | bigint | Buffer | null;

/** One connection inside a transaction. */
export interface MysqlTransaction {
  execute<R extends Rows | Header>(sql: string, values: Param[]): Promise<R>;
}

export interface MysqlHandle {
  readonly pool: Pool;
  /** `` `schema`.`<prefix>_<name>` `` (or just the table, on the connection's database), quoted. */
  qualified(name: string): string;
  /** Run one statement (a prepared statement), mapping failures to MicroErrors. */
  execute<R extends Rows | Header>(operation: string, sql: string, values: Param[]): Promise<R>;
  /** Run DDL once, creating the schema first when one is configured. */
  ensure(statements: readonly string[]): Promise<void>;
  /**
   * Run `work` in a transaction on one connection: committed when it returns `{ commit: true }`,
   * rolled back otherwise or when it throws. A connection that failed is destroyed, not reused.
   */
  transaction<T>(
    operation: string,
    work: (tx: MysqlTransaction) => Promise<{ commit: boolean; result: T }>,
  ): Promise<T>;
  /** End the pool if this handle opened it. */
  close(): Promise<void>;
}

export function openMysql(config: MysqlConfig): MysqlHandle {
  const owned = config.pool === undefined;
  // `mariadb://` is the same protocol; mysql2 reads only host, port, user, password, database.
  const pool = config.pool ?? mysql.createPool({ uri: config.url, connectionLimit: config.poolSize });
  const schema = config.schema === undefined ? '' : `\`${config.schema}\`.`;
  let ended = false;
  return {
    pool,
    qualified: (name) => `${schema}\`${config.tablePrefix}_${name}\``,
    async execute<R extends Rows | Header>(operation: string, sql: string, values: Param[]) {
      try {
        const [result] = await pool.execute<R>(sql, values);
        return result;
      } catch (error) {
        throw mysqlError(error, operation);
      }
    },
    async ensure(statements) {
      const all =
        config.schema === undefined
          ? statements
          : [`CREATE DATABASE IF NOT EXISTS ${schema.slice(0, -1)}`, ...statements];
      // IF NOT EXISTS makes each statement safe to race with another creator.
      for (const statement of all) {
        try {
          await pool.query(statement);
        } catch (error) {
          throw mysqlError(error, 'create tables');
        }
      }
    },
    async transaction(operation, work) {
      let connection: PoolConnection;
      try {
        connection = await pool.getConnection();
      } catch (error) {
        throw mysqlError(error, operation);
      }
      const tx: MysqlTransaction = {
        async execute<R extends Rows | Header>(sql: string, values: Param[]) {
          const [result] = await connection.execute<R>(sql, values);
          return result;
        },
      };
      try {
        await connection.beginTransaction();
        const { commit, result } = await work(tx);
        await (commit ? connection.commit() : connection.rollback());
        connection.release();
        return result;
      } catch (error) {
        // The transaction's state is unknown here: never hand this connection to someone else.
        connection.destroy();
        throw mysqlError(error, operation);
      }
    },
    async close() {
      if (!owned || ended) return;
      ended = true;
      await pool.end();
    },
  };
}

/** The MariaDB/MySQL error number for "duplicate entry for key" (a unique key taken). */
export const ER_DUP_ENTRY = 1062;

/**
 * Server error numbers meaning "not now, try again": too many connections, server shutdown,
 * lock wait timeout, deadlock, query interrupted or connection killed, read-only (fail-over).
 */
const RETRYABLE_ERRNOS = new Set([1040, 1053, 1205, 1213, 1290, 1317, 1836, 1927, 4031]);

/** Translate whatever `mysql2` threw into a MicroError saying whether a retry may help. */
export function mysqlError(error: unknown, operation: string): MicroError {
  if (isMicroError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const { errno, sqlState, fatal } = (error ?? {}) as { errno?: unknown; sqlState?: unknown; fatal?: unknown };
  // A server-side SQL error carries an errno below 2000 and a SQLSTATE; client and network
  // errors (ECONNREFUSED, PROTOCOL_CONNECTION_LOST …) and fatal ones do not count as SQL errors.
  const sqlError = typeof errno === 'number' && errno < 2000 && typeof sqlState === 'string' && fatal !== true;
  if (sqlError && !RETRYABLE_ERRNOS.has(errno))
    return new MicroError('INTERNAL', `mysql ${operation}: ${message} (${errno})`, {
      id: 'mysql',
      cause: error,
      retryable: false,
    });
  return new MicroError('UNAVAILABLE', `mysql ${operation}: ${message}`, { id: 'mysql', cause: error });
}

/** The server error number of a failure (`ER_DUP_ENTRY` …), looking through a MicroError's cause. */
export function errnoOf(error: unknown): number | undefined {
  const cause = isMicroError(error) ? error.cause : error;
  const errno = (cause as { errno?: unknown } | null | undefined)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}
