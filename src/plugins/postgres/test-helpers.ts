/**
 * Test isolation for PostgreSQL plugin tests: every test gets its own schema, dropped with
 * everything in it afterwards, so suites run in parallel and on a dirty database.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export function uniqueSchema(label: string): string {
  return `mctest_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
