/**
 * Seeded randomness split into named, independent streams. A stream's seed is a stable hash
 * of (root seed, full stream name), so a stream's draws depend only on its own name: adding a
 * node or a link never reshuffles another stream. Streams are seedrandom's Alea generator.
 */
import seedrandom from 'seedrandom';
import type { Random } from './types.js';

/** A named random stream; `fork(name)` derives an independent child `<this>/<name>`. */
export interface RandomStream extends Random {
  readonly name: string;
  /** An integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  fork(name: string): RandomStream;
}

/** FNV-1a (32 bit) of a string; the stable hash behind stream seeds and the trace hash. */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed string of stream `name` under `rootSeed`: a 64-bit hash, hex. */
export function streamSeed(rootSeed: string, name: string): string {
  const text = `${rootSeed}\u0000${name}`;
  return fnv1a(text).toString(16).padStart(8, '0') + fnv1a(text, 0x9747b28c).toString(16).padStart(8, '0');
}

class Stream implements RandomStream {
  readonly name: string;
  readonly #root: string;
  readonly #prng: seedrandom.PRNG;

  constructor(root: string, name: string) {
    this.#root = root;
    this.name = name;
    this.#prng = seedrandom.alea(streamSeed(root, name));
  }

  next(): number {
    return this.#prng();
  }

  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.#prng() * (maxExclusive - min));
  }

  chance(p: number): boolean {
    return p > 0 && this.#prng() < p;
  }

  fork(name: string): RandomStream {
    return new Stream(this.#root, this.name === '' ? name : `${this.name}/${name}`);
  }
}

/** The root of a world's streams; `root.fork('node:a')` is the stream named `node:a`. */
export function createRandom(seed: string | number): RandomStream {
  return new Stream(String(seed), '');
}

/** A version-4 UUID from a stream (for a virtualised crypto.randomUUID). */
export function randomUuid(random: Random): string {
  const hex: string[] = [];
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(random.next() * 256);
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex.push(byte.toString(16).padStart(2, '0'));
  }
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
