/**
 * A node's simulated disk. Writes land in a page cache at once (reads see them); `sync()` makes
 * every earlier write durable. A crash keeps the durable state plus a prefix of the unsynced
 * writes whose length is drawn from the disk's stream — so a write can only survive if every
 * earlier write did, as with an ordered write-back log. Values are copied in and out
 * ({@link ownedCopy}), so neither the writer nor a reader shares memory with what is stored.
 */
import { ownedCopy } from './owned-copy.js';
import type { Random, SimDisk } from './types.js';

const TOMBSTONE = Symbol('deleted');
type Slot = unknown | typeof TOMBSTONE;

export class DiskState {
  readonly #durable = new Map<string, unknown>();
  /** Unsynced writes, oldest first. */
  #pending: { key: string; value: Slot }[] = [];
  /** The page cache: the latest pending write per key. */
  #cache = new Map<string, Slot>();

  get(key: string): unknown {
    const cached = this.#cache.get(key);
    if (cached === TOMBSTONE) return undefined;
    if (cached !== undefined || this.#cache.has(key)) return ownedCopy(cached);
    return ownedCopy(this.#durable.get(key));
  }

  put(key: string, value: unknown): void {
    const copy = ownedCopy(value);
    this.#pending.push({ key, value: copy });
    this.#cache.set(key, copy);
  }

  delete(key: string): void {
    this.#pending.push({ key, value: TOMBSTONE });
    this.#cache.set(key, TOMBSTONE);
  }

  keys(): string[] {
    const keys = new Set(this.#durable.keys());
    for (const [key, value] of this.#cache) {
      if (value === TOMBSTONE) keys.delete(key);
      else keys.add(key);
    }
    return [...keys].sort();
  }

  get unsynced(): number {
    return this.#pending.length;
  }

  sync(): void {
    this.#apply(this.#pending.length);
  }

  /** Power loss: a random prefix of the unsynced writes reaches the disk, the rest is gone. */
  crash(random: Random): number {
    const kept = this.#pending.length === 0 ? 0 : Math.floor(random.next() * (this.#pending.length + 1));
    const lost = this.#pending.length - kept;
    this.#apply(kept);
    this.#pending = [];
    this.#cache.clear();
    return lost;
  }

  #apply(count: number): void {
    for (let i = 0; i < count; i++) {
      const { key, value } = this.#pending[i]!;
      if (value === TOMBSTONE) this.#durable.delete(key);
      else this.#durable.set(key, value);
    }
    if (count === this.#pending.length) {
      this.#pending = [];
      this.#cache.clear();
    } else this.#pending = this.#pending.slice(count);
  }
}

/** The SimDisk an incarnation uses: reads always work; writes from a dead incarnation are ignored. */
export function diskHandle(state: DiskState, isCurrent: () => boolean): SimDisk {
  return {
    get: (key) => state.get(key),
    put: (key, value) => {
      if (isCurrent()) state.put(key, value);
    },
    delete: (key) => {
      if (isCurrent()) state.delete(key);
    },
    keys: () => state.keys(),
    sync: () => {
      if (isCurrent()) state.sync();
    },
  };
}
