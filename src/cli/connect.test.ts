import { describe, expect, it } from 'vitest';
import { resolveMysqlOptions } from '../plugins/mysql/connection.js';
import { resolvePostgresOptions } from '../plugins/postgres/connection.js';
import { sqlTablePrefix } from './connect.js';

describe('--prefix as an SQL table prefix', () => {
  it.each([
    ['Shop.Orders', 'shop_orders'],
    ['team:a-1', 'team_a_1'],
    ['9lives', '_9lives'],
  ])('%s becomes %s, which both SQL plugins accept', (prefix, table) => {
    expect(sqlTablePrefix(prefix)).toBe(table);
    expect(resolvePostgresOptions({ tablePrefix: sqlTablePrefix(prefix) }).tablePrefix).toBe(table);
    expect(resolveMysqlOptions({ tablePrefix: sqlTablePrefix(prefix) }).tablePrefix).toBe(table);
  });
});
