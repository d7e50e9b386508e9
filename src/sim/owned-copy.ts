/**
 * An owned copy of a value crossing a fake's boundary: what a serialiser would hand the other
 * side, at a fraction of `structuredClone`'s cost for the small plain values fakes carry.
 * Primitives pass as they are; plain objects and arrays are copied member by member; byte arrays
 * are copied; anything else (Map, Date, class instances, other typed arrays, functions) goes
 * through `structuredClone`, so what it refuses is still refused. Unlike `structuredClone`, a
 * value reached twice is copied twice; past {@link MAX_OWNED_DEPTH} levels (a cycle, say) the
 * rest is handed to `structuredClone`.
 */

export const MAX_OWNED_DEPTH = 32;

export function ownedCopy<T>(value: T): T {
  return copy(value, 0) as T;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') return structuredClone(value); // throws, as a wire would
    return value;
  }
  if (depth >= MAX_OWNED_DEPTH) return structuredClone(value);
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = copy(value[i], depth + 1);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {}; // as structuredClone: a null prototype is not kept
    for (const key in value) {
      const member = copy((value as Record<string, unknown>)[key], depth + 1);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
      else out[key] = member;
    }
    return out;
  }
  if (proto === Uint8Array.prototype) return new Uint8Array(value as Uint8Array); // a copy of the view's bytes
  return structuredClone(value);
}
