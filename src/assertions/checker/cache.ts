/**
 * The search's memory of configurations already explored: (linearized set, model state)
 * pairs. A chained hash table over flat typed arrays — bitsets live side by side in one
 * Uint32Array pool — so storing a configuration allocates nothing but the occasional growth,
 * and a probe compares hashes before it compares bits or states.
 */
export class ConfigurationCache<S> {
  private table: Int32Array;
  private mask: number;
  private hashes = new Int32Array(1024);
  private chain = new Int32Array(1024);
  private pool: Uint32Array;
  private readonly states: S[] = [];
  private count = 0;

  constructor(
    /** Words per bitset. */
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
  ) {
    this.table = new Int32Array(1024).fill(-1);
    this.mask = 1023;
    this.pool = new Uint32Array(1024 * words);
  }

  get size(): number {
    return this.count;
  }

  /** Store (bits, state) under `hash` unless an equal pair is there; true when it was new. */
  add(hash: number, bits: Uint32Array, state: S): boolean {
    const { words, pool, hashes, chain } = this;
    for (let i = this.table[hash & this.mask] as number; i !== -1; i = chain[i] as number) {
      if (hashes[i] !== hash) continue;
      let same = true;
      const base = i * words;
      for (let w = 0; w < words; w++) {
        if (pool[base + w] !== bits[w]) {
          same = false;
          break;
        }
      }
      if (same && this.equal(this.states[i] as S, state)) return false;
    }
    this.insert(hash, bits, state);
    return true;
  }

  private insert(hash: number, bits: Uint32Array, state: S): void {
    const i = this.count++;
    if (i >= this.hashes.length) this.grow();
    this.pool.set(bits, i * this.words);
    this.states.push(state);
    this.hashes[i] = hash;
    const slot = hash & this.mask;
    this.chain[i] = this.table[slot] as number;
    this.table[slot] = i;
    if (this.count > this.table.length) this.rehash();
  }

  private grow(): void {
    const size = this.hashes.length * 2;
    const hashes = new Int32Array(size);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const chain = new Int32Array(size);
    chain.set(this.chain);
    this.chain = chain;
    const pool = new Uint32Array(size * this.words);
    pool.set(this.pool);
    this.pool = pool;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.hashes[i] as number) & this.mask;
      this.chain[i] = this.table[slot] as number;
      this.table[slot] = i;
    }
  }
}
