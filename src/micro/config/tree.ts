/**
 * Config trees: dotted paths, deep merge (objects merge, everything else replaces), deep
 * equality and immutable set. Pure functions; the config and its sources build on them.
 */
import { badRequest } from '../errors.js';
import type { ConfigTree, ConfigValue } from './types.js';

/** Split a dotted path; `''` is the root. Throws BAD_REQUEST on an empty segment (`a..b`). */
export function parsePath(op: string, path: unknown): readonly string[] {
  if (typeof path !== 'string') throw badRequest(`${op}: path must be a string, got ${String(path)}`);
  if (path === '') return [];
  const segments = path.split('.');
  if (segments.some((s) => s === ''))
    throw badRequest(`${op}: path "${path}" has an empty segment (leading, trailing or double dot)`);
  return segments;
}

export function isTree(value: unknown): value is ConfigTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getAt(tree: ConfigValue, segments: readonly string[]): ConfigValue | undefined {
  let node: ConfigValue | undefined = tree;
  for (const segment of segments) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = (node as readonly ConfigValue[])[Number(segment)];
    else if (isTree(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** A new tree with `value` at `segments` (parents created as objects as needed). */
export function setAt(tree: ConfigTree, segments: readonly string[], value: ConfigValue): ConfigTree {
  const [head, ...rest] = segments;
  if (head === undefined) {
    if (!isTree(value)) throw badRequest('config: the root must be an object');
    return value;
  }
  const child = tree[head];
  return { ...tree, [head]: rest.length === 0 ? value : setAt(isTree(child) ? child : {}, rest, value) };
}

/** `high` over `low`: objects merge key by key, anything else from `high` replaces. */
export function merge(low: ConfigTree, high: ConfigTree): ConfigTree {
  const out: Record<string, ConfigValue> = { ...low };
  for (const [key, value] of Object.entries(high)) {
    const below = out[key];
    out[key] = isTree(below) && isTree(value) ? merge(below, value) : value;
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isTree(a) && isTree(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Check that a parsed document is a config tree (an object of JSON values); names the bad path. */
export function checkTree(where: string, value: unknown): ConfigTree {
  if (!isTree(value)) throw badRequest(`${where}: the top level must be an object, got ${kind(value)}`);
  visit(value, '');
  return value;

  function visit(v: unknown, path: string): void {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number' && Number.isFinite(v)) return;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, path === '' ? String(i) : `${path}.${i}`);
      return;
    }
    if (isTree(v) && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, item] of Object.entries(v)) visit(item, path === '' ? k : `${path}.${k}`);
      return;
    }
    throw badRequest(`${where}: value at "${path}" is ${kind(v)}, not a JSON value`);
  }
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? `an instance of ${value.constructor?.name ?? 'a class'}` : `a ${typeof value}`;
}
