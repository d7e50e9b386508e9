/**
 * Test isolation for MariaDB / MySQL plugin tests: every test gets its own schema (database),
 * dropped with everything in it afterwards, so suites run in parallel and on a dirty server.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';

export function uniqueSchema(label: string): string {
  return `mctest_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP DATABASE IF EXISTS \`${schema}\``);
}
