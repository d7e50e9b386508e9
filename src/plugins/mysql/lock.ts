/**
 * The MariaDB / MySQL {@link LockDriver}: leases in one table, fencing tokens counted per name.
 *
 * Layout: `` `<schema>`.`<prefix>_leases` `` (name VARBINARY PRIMARY KEY, holder TEXT, token BIGINT,
 * expires_at DATETIME(6) in UTC). Every statement decides on the server's `UTC_TIMESTAMP(6)`, so the
 * lease clock is the database's. A name's row is kept when its lease ends (release sets
 * `expires_at` to now), so its token can only grow: the table holds one row per name ever locked.
 *
 * Acquire is one statement, `INSERT … ON DUPLICATE KEY UPDATE`, each column taking its new value
 * only `IF(expires_at <= UTC_TIMESTAMP(6), …)`: the row lock makes racing acquirers serialise, and
 * only one of them sees the lease expired (or the row missing). Which branch ran comes back in the
 * OK packet's `insertId` through `LAST_INSERT_ID(expr)`: 1 for a new name, the new token
 * (old + 1) for a takeover, 0 when the lease is still held. Refresh and release act only for the
 * matching token.
 *
 * Waiting (`waitMs > 0`) polls every {@link DEFAULT_MYSQL_LOCK_POLL_MS}.
 */
import { unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import { type Runtime, sleep } from '../../micro/runtime.js';
import type { LockDriver } from '../../micro/sync/types.js';
import { type Header, type MysqlOptions, openMysql, type Rows, resolveMysqlOptions } from './connection.js';

export interface MysqlLockOptions extends MysqlOptions {
  /** Timers for polling while waiting, and the clock for `waitedMs`. Default: the live runtime. */
  readonly runtime?: Runtime;
  /** How often a waiting `acquire` retries. Default: {@link DEFAULT_MYSQL_LOCK_POLL_MS}. */
  readonly pollMs?: number;
}

export const DEFAULT_MYSQL_LOCK_POLL_MS = 20;

const NOW = 'UTC_TIMESTAMP(6)';
const FREE = `expires_at <= ${NOW}`;
const name = (text: string) => Buffer.from(text, 'utf8');
/** A TTL as whole microseconds, sent as an integer (a JS number would travel as a DOUBLE). */
const micros = (ttlMs: number) => BigInt(Math.max(1, Math.round(ttlMs * 1000)));

export function mysqlLockDriver(options: MysqlLockOptions = {}): LockDriver {
  const config = resolveMysqlOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const pollMs = options.pollMs ?? DEFAULT_MYSQL_LOCK_POLL_MS;
  const db = openMysql(config);
  const leases = db.qualified('leases');
  const closing = new AbortController();
  let ready: Promise<void> | undefined;
  const setup = () => {
    ready ??= db
      .ensure([
        `CREATE TABLE IF NOT EXISTS ${leases} (
           name VARBINARY(1536) PRIMARY KEY,
           holder TEXT CHARACTER SET utf8mb4 NOT NULL,
           token BIGINT NOT NULL,
           expires_at DATETIME(6) NOT NULL) ENGINE=InnoDB`,
      ])
      .catch((error) => {
        ready = undefined;
        throw error;
      });
    return ready;
  };
  const expiry = `${NOW} + INTERVAL ? MICROSECOND`;

  return {
    async acquire({ name: lock, holder, ttlMs, waitMs }) {
      await setup();
      const started = runtime.clock.now();
      for (;;) {
        const sentAt = runtime.clock.now();
        // Assignments run left to right, each seeing the columns already assigned: expires_at
        // goes last so that every IF reads the old lease.
        const { insertId } = await db.execute<Header>(
          'lock acquire',
          `INSERT INTO ${leases} (name, holder, token, expires_at) VALUES (?, ?, LAST_INSERT_ID(1), ${expiry})
           ON DUPLICATE KEY UPDATE
             holder = IF(${FREE}, VALUES(holder), holder),
             token = IF(${FREE}, LAST_INSERT_ID(token + 1), token + LAST_INSERT_ID(0)),
             expires_at = IF(${FREE}, VALUES(expires_at), expires_at)`,
          [name(lock), holder, micros(ttlMs)],
        );
        const token = Number(insertId);
        if (token > 0) return { type: 'acquired', token, waitedMs: sentAt - started };
        const left = started + waitMs - runtime.clock.now();
        if (left <= 0) return { type: 'timeout' };
        await sleep(runtime, Math.min(pollMs, left), closing.signal).catch(() => {
          throw unavailable('mysql lock: closed while waiting');
        });
      }
    },

    async refresh(lock, token, ttlMs) {
      await setup();
      // The new expiry differs from the old, so affectedRows is 1 exactly when the lease matched.
      const { affectedRows } = await db.execute<Header>(
        'lock refresh',
        `UPDATE ${leases} SET expires_at = ${expiry} WHERE name = ? AND token = ? AND expires_at > ${NOW}`,
        [micros(ttlMs), name(lock), token],
      );
      return affectedRows === 1;
    },

    async release(lock, token) {
      await setup();
      await db.execute<Header>(
        'lock release',
        `UPDATE ${leases} SET expires_at = ${NOW} WHERE name = ? AND token = ? AND expires_at > ${NOW}`,
        [name(lock), token],
      );
    },

    async holder(lock) {
      await setup();
      const rows = await db.execute<Rows>(
        'lock holder',
        `SELECT holder, token FROM ${leases} WHERE name = ? AND expires_at > ${NOW}`,
        [name(lock)],
      );
      const row = rows[0] as { holder: string; token: number | string } | undefined;
      return row && { holder: row.holder, token: Number(row.token) };
    },

    async close() {
      closing.abort();
      await db.close();
    },
  };
}
