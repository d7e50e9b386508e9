import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackend } from '../describe-backend.js';
import { mysqlLockDriver } from './lock.js';
import { dropSchema, uniqueSchema } from './test-helpers.js';

describeBackend('mysql', ({ url }) => {
  const schema = uniqueSchema('lock');
  let plain: mysql.Pool;
  beforeAll(() => {
    plain = mysql.createPool({ uri: url, connectionLimit: 1 });
  });
  afterAll(async () => {
    await dropSchema(plain, schema);
    await plain.end();
  });

  // One connection: the refused acquire runs right after the takeover that set LAST_INSERT_ID.
  it('on one connection: a new name gets token 1, a takeover old + 1, a held lease nothing', async () => {
    const driver = mysqlLockDriver({ url, schema, poolSize: 1 });
    const request = { name: 'lock/orders', ttlMs: 60_000, waitMs: 0 };
    try {
      expect(await driver.acquire({ ...request, holder: 'a' })).toMatchObject({ type: 'acquired', token: 1 });
      expect(await driver.acquire({ ...request, holder: 'b' })).toEqual({ type: 'timeout' });
      await driver.release('lock/orders', 1);
      expect(await driver.acquire({ ...request, holder: 'b' })).toMatchObject({ type: 'acquired', token: 2 });
      expect(await driver.acquire({ ...request, holder: 'c' })).toEqual({ type: 'timeout' });
      expect(await driver.holder('lock/orders')).toEqual({ holder: 'b', token: 2 });
      expect(await driver.refresh('lock/orders', 1, 60_000)).toBe(false);
      expect(await driver.refresh('lock/orders', 2, 60_000)).toBe(true);
    } finally {
      await driver.close();
    }
  });

  it("keeps a released name's row, so its next token is still greater", async () => {
    const driver = mysqlLockDriver({ url, schema });
    try {
      const tokens: number[] = [];
      for (let i = 0; i < 3; i++) {
        const result = await driver.acquire({ name: 'lock/again', holder: `h${i}`, ttlMs: 60_000, waitMs: 0 });
        if (result.type === 'acquired') {
          tokens.push(result.token);
          await driver.release('lock/again', result.token);
        }
      }
      expect(tokens).toEqual([1, 2, 3]);
      expect(await driver.holder('lock/again')).toBeUndefined();
      const [rows] = await plain.query<mysql.RowDataPacket[]>(
        `SELECT holder, token FROM \`${schema}\`.microcosm_leases WHERE name = 'lock/again'`,
      );
      expect(rows.map((row) => [row.holder, Number(row.token)])).toEqual([['h2', 3]]);
    } finally {
      await driver.close();
    }
  });
});
