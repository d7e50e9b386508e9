/**
 * The PostgreSQL {@link LockDriver}: leases in a table, fencing tokens from a sequence.
 *
 * Layout: `"<schema>"."<prefix>_leases"` (name text primary key, holder text, token bigint,
 * expires_at timestamptz) and the sequence `<prefix>_fencing`. Every statement decides on the
 * server's `clock_timestamp()`, so the lease clock is the database's. Acquire is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE expires_at <= clock_timestamp()`: the row lock makes
 * racing acquirers serialise, and only one of them sees an expired (or missing) lease. Tokens
 * come from the sequence, so they are strictly increasing per name (and globally). Refresh and
 * release act only for the matching token.
 *
 * Waiting (`waitMs > 0`) polls every {@link DEFAULT_PG_LOCK_POLL_MS}.
 */
import { unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, sleep } from '../../micro/runtime.js';
import type { LockDriver } from '../../micro/sync/types.js';
import { ensure, openPostgres, type PostgresOptions, resolvePostgresOptions } from './connection.js';

export interface PostgresLockOptions extends PostgresOptions {
  /** Timers for polling while waiting, and the clock for `waitedMs`. Default: the live runtime. */
  readonly runtime?: Runtime;
  /** How often a waiting `acquire` retries. Default: {@link DEFAULT_PG_LOCK_POLL_MS}. */
  readonly pollMs?: number;
}

export const DEFAULT_PG_LOCK_POLL_MS = 20;

export function postgresLockDriver(options: PostgresLockOptions = {}): LockDriver {
  const config = resolvePostgresOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const pollMs = options.pollMs ?? DEFAULT_PG_LOCK_POLL_MS;
  const db = openPostgres(config);
  const leases = db.qualified('leases');
  const fencing = db.qualified('fencing');
  const closing = new AbortController();
  let ready: Promise<void> | undefined;
  const setup = () => {
    ready ??= ensure(db, [
      `CREATE SCHEMA IF NOT EXISTS "${config.schema}"`,
      `CREATE SEQUENCE IF NOT EXISTS ${fencing}`,
      `CREATE TABLE IF NOT EXISTS ${leases} (
         name text PRIMARY KEY, holder text NOT NULL, token bigint NOT NULL, expires_at timestamptz NOT NULL)`,
    ]).catch((error) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  const expiry = `clock_timestamp() + $3 * interval '1 millisecond'`;

  return {
    async acquire({ name, holder, ttlMs, waitMs }) {
      await setup();
      const started = runtime.clock.now();
      for (;;) {
        const sentAt = runtime.clock.now();
        const { rows } = await db.query<{ token: string }>(
          'lock acquire',
          `INSERT INTO ${leases} (name, holder, token, expires_at)
           VALUES ($1, $2, nextval('${fencing.replaceAll("'", "''")}'), ${expiry})
           ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, token = EXCLUDED.token,
             expires_at = EXCLUDED.expires_at
           WHERE ${leases}.expires_at <= clock_timestamp()
           RETURNING token`,
          [name, holder, ttlMs],
        );
        if (rows[0]) return { type: 'acquired', token: Number(rows[0].token), waitedMs: sentAt - started };
        const left = started + waitMs - runtime.clock.now();
        if (left <= 0) return { type: 'timeout' };
        await sleep(runtime, Math.min(pollMs, left), closing.signal).catch(() => {
          throw unavailable('postgres lock: closed while waiting');
        });
      }
    },

    async refresh(name, token, ttlMs) {
      await setup();
      const { rowCount } = await db.query(
        'lock refresh',
        `UPDATE ${leases} SET expires_at = ${expiry}
         WHERE name = $1 AND token = $2 AND expires_at > clock_timestamp()`,
        [name, token, ttlMs],
      );
      return rowCount === 1;
    },

    async release(name, token) {
      await setup();
      await db.query('lock release', `DELETE FROM ${leases} WHERE name = $1 AND token = $2`, [name, token]);
    },

    async holder(name) {
      await setup();
      const { rows } = await db.query<{ holder: string; token: string }>(
        'lock holder',
        `SELECT holder, token FROM ${leases} WHERE name = $1 AND expires_at > clock_timestamp()`,
        [name],
      );
      return rows[0] && { holder: rows[0].holder, token: Number(rows[0].token) };
    },

    async close() {
      closing.abort();
      await db.close();
    },
  };
}
