/**
 * A consistent-hash ring: each node owns `points` positions on a 32-bit circle (FNV-1a of
 * `nodeId#i`); a key goes to the first position at or after its own hash. Adding or removing a
 * node moves only the keys next to its positions.
 */
export const DEFAULT_RING_POINTS = 64;

export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class HashRing {
  readonly #points: Array<{ at: number; id: string }> = [];

  constructor(nodeIds: readonly string[], points = DEFAULT_RING_POINTS) {
    for (const id of nodeIds) for (let i = 0; i < points; i++) this.#points.push({ at: fnv1a(`${id}#${i}`), id });
    this.#points.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  }

  /** The node that owns `key`, or undefined for an empty ring. */
  owner(key: string): string | undefined {
    const points = this.#points;
    if (points.length === 0) return undefined;
    const h = fnv1a(key);
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]!.at < h) lo = mid + 1;
      else hi = mid;
    }
    return points[lo % points.length]!.id;
  }
}
