import { describe, expect, it } from 'vitest';
import { badRequestOf as badRequest } from '../socket-faults.js';
import { DEFAULT_POSTGRES_SCHEMA, postgresError, resolvePostgresOptions } from './connection.js';

describe('postgres options', () => {
  it('fills every default', () => {
    expect(resolvePostgresOptions()).toMatchObject({ schema: DEFAULT_POSTGRES_SCHEMA, tablePrefix: 'microcosm' });
  });

  it('rejects bad options, naming them', () => {
    expect(badRequest(() => resolvePostgresOptions({ schema: 'Robert"); DROP' }))).toContain('schema');
    expect(badRequest(() => resolvePostgresOptions({ tablePrefix: '' }))).toContain('tablePrefix');
    expect(badRequest(() => resolvePostgresOptions({ poolSize: 0 }))).toContain('poolSize');
    expect(badRequest(() => resolvePostgresOptions({ url: 'mysql://x' }))).toContain('url');
  });
});

describe('postgres errors', () => {
  it('calls connection and shutdown states retryable UNAVAILABLE, other SQL errors INTERNAL', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect([postgresError(terminated, 'put').code, postgresError(terminated, 'put').retryable]).toEqual([
      'UNAVAILABLE',
      true,
    ]);
    expect(postgresError(new Error('Connection terminated unexpectedly'), 'put').code).toBe('UNAVAILABLE');
    expect(postgresError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'put').code).toBe(
      'UNAVAILABLE',
    );
    const syntax = postgresError(Object.assign(new Error('syntax error'), { code: '42601' }), 'put');
    expect([syntax.code, syntax.retryable]).toEqual(['INTERNAL', false]);
    expect(syntax.detail).toContain('42601');
  });
});
