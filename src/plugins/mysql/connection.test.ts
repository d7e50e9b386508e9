import { describe, expect, it } from 'vitest';
import { isMicroError } from '../../micro/errors.js';
import { DEFAULT_MYSQL_TABLE_PREFIX, DEFAULT_MYSQL_URL, mysqlError, resolveMysqlOptions } from './connection.js';

const badRequest = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isMicroError(error) && error.code === 'BAD_REQUEST' ? error.detail : `not BAD_REQUEST: ${String(error)}`;
  }
  return 'no error';
};

describe('mysql options', () => {
  it("fills every default; the schema is the connection's database unless named", () => {
    expect(resolveMysqlOptions()).toMatchObject({
      url: DEFAULT_MYSQL_URL,
      schema: undefined,
      tablePrefix: DEFAULT_MYSQL_TABLE_PREFIX,
      poolSize: 4,
    });
    expect(resolveMysqlOptions({ url: 'mariadb://app@db:3306/shop', schema: 'orders' })).toMatchObject({
      schema: 'orders',
    });
  });

  it('rejects bad options, naming them', () => {
    expect(badRequest(() => resolveMysqlOptions({ schema: 'x`; DROP DATABASE test; --' }))).toContain('schema');
    expect(badRequest(() => resolveMysqlOptions({ tablePrefix: '' }))).toContain('tablePrefix');
    expect(badRequest(() => resolveMysqlOptions({ poolSize: 0 }))).toContain('poolSize');
    expect(badRequest(() => resolveMysqlOptions({ url: 'postgres://x' }))).toContain('url');
  });
});

describe('mysql errors', () => {
  const sqlError = (message: string, errno: number, sqlState: string, fatal = false) =>
    Object.assign(new Error(message), { errno, sqlState, fatal });

  it('calls lost connections, shutdowns, deadlocks and lock waits retryable UNAVAILABLE', () => {
    for (const failure of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', errno: -111 }),
      Object.assign(new Error('Connection lost: The server closed the connection.'), {
        code: 'PROTOCOL_CONNECTION_LOST',
        fatal: true,
      }),
      sqlError('Connection was killed', 1927, '70100', true),
      sqlError('Deadlock found when trying to get lock', 1213, '40001'),
      sqlError('Lock wait timeout exceeded', 1205, 'HY000'),
      sqlError('Too many connections', 1040, '08004'),
    ]) {
      const mapped = mysqlError(failure, 'put');
      expect([mapped.code, mapped.retryable], failure.message).toEqual(['UNAVAILABLE', true]);
    }
  });

  it('calls other SQL errors INTERNAL, with their number', () => {
    const syntax = mysqlError(sqlError('You have an error in your SQL syntax', 1064, '42000'), 'put');
    expect([syntax.code, syntax.retryable]).toEqual(['INTERNAL', false]);
    expect(syntax.detail).toContain('1064');
  });
});
