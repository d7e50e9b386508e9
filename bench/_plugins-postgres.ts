// The PostgreSQL part of bench/plugins.ts: each plugin operation beside the raw `pg` pool
// running the same SQL.
import pg from 'pg';
import { postgresStore, postgresSync } from '../src/plugins/postgres/index.js';
import type { Operation, Section } from './_plugins-kit.js';
import { unique } from './_plugins-kit.js';

const value = new Uint8Array(64).fill(7);

export const postgresSection: Section = {
  backend: 'postgres',
  async setup(url) {
    const schema = unique('pg').replace(/[^a-z0-9]/g, '_');
    const raw = new pg.Pool({ connectionString: url, max: 4 });
    const store = postgresStore({ url, schema, database: 'bench', table: 'kv' });
    const sync = postgresSync({ url, schema, holder: 'bench' });
    await store.write({ key: 'read-me', value }); // creates the table and sequence
    const table = `"${schema}"."microcosm_store_bench.kv"`;
    const sequence = `${schema}.microcosm_store_revision`;
    await (await sync.lock('warm', { ttlMs: 1 })).type; // creates the lease table
    const leases = `"${schema}"."microcosm_leases"`;
    let n = 0;

    const operations: Operation[] = [
      {
        name: 'postgres store.write',
        raw: 'the same INSERT … ON CONFLICT DO UPDATE',
        runOurs: () => store.write({ key: `k${n++ % 1000}`, value }),
        runRaw: () =>
          raw.query(
            `INSERT INTO ${table} (key, value, metadata, revision, expires_at)
             VALUES ($1, $2, $3, nextval('${sequence}'), $4)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, metadata = EXCLUDED.metadata,
               revision = EXCLUDED.revision, expires_at = EXCLUDED.expires_at RETURNING revision`,
            [`r${n++ % 1000}`, Buffer.from(value), '{}', null],
          ),
      },
      {
        name: 'postgres store.read',
        raw: 'the same SELECT by key',
        runOurs: () => store.read('read-me'),
        runRaw: () =>
          raw.query(`SELECT key, value, metadata, revision, expires_at FROM ${table} WHERE key = $1`, ['read-me']),
      },
      {
        name: 'postgres lock acquire+release',
        raw: 'the same INSERT … ON CONFLICT + DELETE',
        runOurs: async () => {
          const result = await sync.lock(`l${n++}`, { ttlMs: 10_000 });
          if (result.type === 'acquired') await result.lease.release();
        },
        runRaw: async () => {
          const name = `lock/r${n++}`;
          const { rows } = await raw.query(
            `INSERT INTO ${leases} (name, holder, token, expires_at)
             VALUES ($1, $2, nextval('${schema}.microcosm_fencing'), clock_timestamp() + $3 * interval '1 millisecond')
             ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, token = EXCLUDED.token,
               expires_at = EXCLUDED.expires_at
             WHERE ${leases}.expires_at <= clock_timestamp() RETURNING token`,
            [name, 'bench', 10_000],
          );
          await raw.query(`DELETE FROM ${leases} WHERE name = $1 AND token = $2`, [name, rows[0]?.token]);
        },
      },
    ];

    return {
      operations,
      async teardown() {
        await Promise.all([store.close(), sync.close()]);
        await raw.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await raw.end();
      },
    };
  },
};
