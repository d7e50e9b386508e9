// The MariaDB / MySQL part of bench/plugins.ts: each plugin operation beside the raw `mysql2`
// pool running the same SQL.
import mysql from 'mysql2/promise';
import { mysqlStore, mysqlSync } from '../src/plugins/mysql/index.js';
import type { Operation, Section } from './_plugins-kit.js';
import { unique } from './_plugins-kit.js';

const value = Buffer.alloc(64, 7);

export const mysqlSection: Section = {
  backend: 'mysql',
  async setup(url) {
    const schema = unique('my').replace(/[^a-z0-9]/g, '_');
    const raw = mysql.createPool({ uri: url, connectionLimit: 4 });
    const store = mysqlStore({ url, schema, database: 'bench', table: 'kv' });
    const sync = mysqlSync({ url, schema, holder: 'bench' });
    await store.write({ key: 'read-me', value }); // creates the table and the revision counter
    const table = `\`${schema}\`.\`microcosm_store_bench.kv\``;
    const revisions = `\`${schema}\`.microcosm_store_revisions`;
    await (await sync.lock('warm', { ttlMs: 1 })).type; // creates the lease table
    const leases = `\`${schema}\`.microcosm_leases`;
    const scope = Buffer.from('bench.kv');
    let n = 0;

    const operations: Operation[] = [
      {
        name: 'mysql store.write',
        raw: 'the same transaction: counter row, INSERT … ON DUPLICATE KEY UPDATE, COMMIT',
        runOurs: () => store.write({ key: `k${n++ % 1000}`, value }),
        runRaw: async () => {
          const connection = await raw.getConnection();
          try {
            await connection.beginTransaction();
            const [counter] = await connection.execute<mysql.ResultSetHeader>(
              `INSERT INTO ${revisions} (scope, revision) VALUES (?, LAST_INSERT_ID(1))
               ON DUPLICATE KEY UPDATE revision = LAST_INSERT_ID(revision + 1)`,
              [scope],
            );
            await connection.execute(
              `INSERT INTO ${table} (\`key\`, value, metadata, revision, expires_at) VALUES (?, ?, ?, ?, ?)
               ON DUPLICATE KEY UPDATE value = VALUES(value), metadata = VALUES(metadata),
                 revision = VALUES(revision), expires_at = VALUES(expires_at)`,
              [Buffer.from(`r${n++ % 1000}`), value, '{}', counter.insertId, null],
            );
            await connection.commit();
          } finally {
            connection.release();
          }
        },
      },
      {
        name: 'mysql store.read',
        raw: 'the same SELECT by key',
        runOurs: () => store.read('read-me'),
        runRaw: () =>
          raw.execute(`SELECT \`key\`, value, metadata, revision, expires_at FROM ${table} WHERE \`key\` = ?`, [
            Buffer.from('read-me'),
          ]),
      },
      {
        name: 'mysql lock acquire+release',
        raw: 'the same INSERT … ON DUPLICATE KEY UPDATE + UPDATE',
        runOurs: async () => {
          const result = await sync.lock(`l${n++}`, { ttlMs: 10_000 });
          if (result.type === 'acquired') await result.lease.release();
        },
        runRaw: async () => {
          const name = Buffer.from(`lock/r${n++}`);
          const free = 'expires_at <= UTC_TIMESTAMP(6)';
          const [acquired] = await raw.execute<mysql.ResultSetHeader>(
            `INSERT INTO ${leases} (name, holder, token, expires_at)
             VALUES (?, ?, LAST_INSERT_ID(1), UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)
             ON DUPLICATE KEY UPDATE holder = IF(${free}, VALUES(holder), holder),
               token = IF(${free}, LAST_INSERT_ID(token + 1), token + LAST_INSERT_ID(0)),
               expires_at = IF(${free}, VALUES(expires_at), expires_at)`,
            [name, 'bench', 10_000_000n],
          );
          await raw.execute(
            `UPDATE ${leases} SET expires_at = UTC_TIMESTAMP(6)
             WHERE name = ? AND token = ? AND expires_at > UTC_TIMESTAMP(6)`,
            [name, acquired.insertId],
          );
        },
      },
    ];

    return {
      operations,
      async teardown() {
        await Promise.all([store.close(), sync.close()]);
        await raw.query(`DROP DATABASE IF EXISTS \`${schema}\``);
        await raw.end();
      },
    };
  },
};
