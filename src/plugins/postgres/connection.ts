/**
 * PostgreSQL connections for the PostgreSQL plugins: one options shape, a pool, the schema
 * the plugin's tables live in, and one error mapping.
 *
 * A connection dropped mid-query (server restart, `pg_terminate_backend`, network) rejects that
 * query with a retryable UNAVAILABLE {@link MicroError}; the pool discards the broken client and
 * the next query gets a fresh one. A statement that was running when its connection died either
 * committed (single statements are atomic) or did not; an acknowledged one has.
 */
import type pg from 'pg';
import { badRequest, isMicroError, MicroError } from '../../micro/errors.js';
import { loadPeer } from '../../micro/peer.js';

const { default: postgres } = await loadPeer('pg', 'postgres', () => import('pg'));

export interface PostgresOptions {
  /** Where the server listens. Default: {@link DEFAULT_POSTGRES_URL}. Ignored when `pool` is given. */
  readonly url?: string;
  /** Use this pool instead of opening one; the plugin then never ends it. Default: none. */
  readonly pool?: pg.Pool;
  /** Schema holding the plugin's tables (created if missing). Default: {@link DEFAULT_POSTGRES_SCHEMA}. */
  readonly schema?: string;
  /** Prefix of every table and sequence the plugin creates. Default: {@link DEFAULT_POSTGRES_TABLE_PREFIX}. */
  readonly tablePrefix?: string;
  /** Most connections the plugin's own pool opens. Default: {@link DEFAULT_POSTGRES_POOL_SIZE}. */
  readonly poolSize?: number;
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_POSTGRES_SCHEMA = 'public';
export const DEFAULT_POSTGRES_TABLE_PREFIX = 'microcosm';
export const DEFAULT_POSTGRES_POOL_SIZE = 4;

export interface PostgresConfig {
  readonly url: string;
  readonly pool: pg.Pool | undefined;
  readonly schema: string;
  readonly tablePrefix: string;
  readonly poolSize: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

export function resolvePostgresOptions(options: PostgresOptions = {}): PostgresConfig {
  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  if (!IDENTIFIER.test(schema))
    throw badRequest(`postgres: schema must match ${IDENTIFIER}, got ${JSON.stringify(schema)}`);
  const tablePrefix = options.tablePrefix ?? DEFAULT_POSTGRES_TABLE_PREFIX;
  if (!IDENTIFIER.test(tablePrefix))
    throw badRequest(`postgres: tablePrefix must match ${IDENTIFIER}, got ${JSON.stringify(tablePrefix)}`);
  const poolSize = options.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw badRequest(`postgres: poolSize must be ≥ 1, got ${poolSize}`);
  const url = options.url ?? DEFAULT_POSTGRES_URL;
  if (!/^postgres(ql)?:\/\//.test(url)) throw badRequest(`postgres: url must start with postgres://, got ${url}`);
  return { url, pool: options.pool, schema, tablePrefix, poolSize };
}

export interface PostgresHandle {
  readonly pool: pg.Pool;
  /** `"schema"."<prefix>_<name>"`, quoted. */
  qualified(name: string): string;
  /** Run a query, mapping failures to MicroErrors. */
  query<R extends pg.QueryResultRow>(operation: string, text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** End the pool if this handle opened it. */
  close(): Promise<void>;
}

export function openPostgres(config: PostgresConfig): PostgresHandle {
  const owned = config.pool === undefined;
  const pool = config.pool ?? new postgres.Pool({ connectionString: config.url, max: config.poolSize });
  // An idle client whose connection dies emits on the pool; the pool already discards it.
  if (owned) pool.on('error', () => {});
  let ended = false;
  return {
    pool,
    qualified: (name) => `"${config.schema}"."${config.tablePrefix}_${name}"`,
    async query(operation, text, values) {
      try {
        return await pool.query(text, values);
      } catch (error) {
        throw postgresError(error, operation);
      }
    },
    async close() {
      if (!owned || ended) return;
      ended = true;
      await pool.end();
    },
  };
}

/** SQLSTATE classes and codes meaning "the server or connection is not there right now". */
const UNAVAILABLE_STATES = /^(08|53|57P0[1-4]|40001|40P01)/;

/** Translate whatever `pg` threw into a MicroError saying whether a retry may help. */
export function postgresError(error: unknown, operation: string): MicroError {
  if (isMicroError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlState !== undefined && !UNAVAILABLE_STATES.test(sqlState))
    return new MicroError('INTERNAL', `postgres ${operation}: ${message} (${sqlState})`, {
      id: 'postgres',
      cause: error,
      retryable: false,
    });
  return new MicroError('UNAVAILABLE', `postgres ${operation}: ${message}`, { id: 'postgres', cause: error });
}

/** Run DDL once, tolerating a concurrent creator (duplicate object errors). */
export async function ensure(handle: PostgresHandle, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    try {
      await handle.query('create tables', statement);
    } catch (error) {
      const code = (error as MicroError).cause as { code?: string } | undefined;
      if (!['23505', '42P07', '42P06', '42710'].includes(code?.code ?? '')) throw error;
    }
  }
}
