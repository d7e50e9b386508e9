/**
 * JSON checking for cache values: JSON is what crosses to a real backend, so anything JSON
 * would silently change (undefined, NaN, a Date, a Map, a cycle) is refused up front.
 */
import { badRequest } from '../errors.js';
import type { JsonValue } from './types.js';

/** Throws BAD_REQUEST naming `where` and the path inside the value that JSON cannot carry. */
export function checkJson(where: string, value: unknown): JsonValue {
  visit(value, '$', new Set());
  return value as JsonValue;

  function visit(v: unknown, path: string, seen: Set<object>): void {
    const fail = (what: string) => {
      throw badRequest(`${where}: value at ${path} is ${what}, which JSON cannot represent`);
    };
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(v)) fail(String(v));
        return;
      case 'object': {
        if (v === null) return;
        if (seen.has(v)) fail('a cycle');
        const proto = Object.getPrototypeOf(v);
        if (!Array.isArray(v) && proto !== Object.prototype && proto !== null)
          fail(`an instance of ${(v as object).constructor?.name ?? 'a class'}`);
        seen.add(v);
        if (Array.isArray(v)) for (const [i, item] of v.entries()) visit(item, `${path}[${i}]`, seen);
        else for (const [k, item] of Object.entries(v)) visit(item, `${path}.${k}`, seen);
        seen.delete(v);
        return;
      }
      default:
        fail(typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`);
    }
  }
}
