/**
 * Input checks shared by the store (and the cache): each throws a BAD_REQUEST MicroError that
 * names the operation, the property and the offending value.
 */
import { badRequest } from '../errors.js';

/** Show a bad value briefly and safely in an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function checkKey(op: string, key: unknown, maxLength: number, property = 'key'): string {
  if (typeof key !== 'string' || key.length === 0)
    throw badRequest(`${op}: ${property} must be a non-empty string, got ${describeValue(key)}`);
  if (key.length > maxLength)
    throw badRequest(`${op}: ${property} is ${key.length} characters long, longer than the limit of ${maxLength}`);
  return key;
}

export function checkTtl(op: string, ttlMs: unknown, property = 'ttlMs'): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)
    throw badRequest(`${op}: ${property} must be a positive finite number of ms, got ${describeValue(ttlMs)}`);
  return ttlMs;
}

export function checkCount(op: string, value: unknown, property: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw badRequest(`${op}: ${property} must be a non-negative integer, got ${describeValue(value)}`);
  return value;
}

export function checkString(op: string, value: unknown, property: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`${op}: ${property} must be a string, got ${describeValue(value)}`);
  return value;
}
