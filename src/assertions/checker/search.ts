/**
 * The linearizability search for one partition: Wing & Gong's backtracking search with Lowe's
 * memoisation, laid out as in Porcupine. Calls and returns sit in one doubly linked list in
 * history order. The search walks it: at a call it tries to linearize the operation next
 * (step the model; if the resulting (linearized set, state) was never seen, push and *lift*
 * the call and its return out of the list, and restart from the head); at a return it has
 * hit an operation that had to be linearized by now but was not, so it backtracks (pop,
 * *unlift*, and try the next call). The list empties exactly when a linearization exists.
 *
 * Speed: the list is two Int32Arrays; the linearized set is a bitset whose hash is kept
 * incrementally (Zobrist: XOR of a fixed random word per operation) and mixed with the
 * model's state hash, so a cache probe costs no pass over the bitset; bits and states are
 * compared only on a hash match. The cache itself is flat typed arrays (cache.ts).
 */
import type { Operation } from '../history.js';
import type { ResolvedModel } from '../models/model.js';
import { ConfigurationCache } from './cache.js';

export type SearchResult<S> =
  | { readonly type: 'linearizable'; readonly order: readonly number[] }
  | {
      readonly type: 'not-linearizable';
      /** The longest linearizable prefix found (indices into the partition's operations). */
      readonly prefix: readonly number[];
      /** The model state after that prefix. */
      readonly state: S;
      /** The operation whose return came before it could be placed after the prefix (-1: none). */
      readonly stuck: number;
    }
  | { readonly type: 'unknown'; readonly prefix: readonly number[] };

/** Polled between slices of the search; returning true abandons it with `unknown`. */
export type StopSignal = () => boolean;

const NONE = -1;

/** Fixed pseudo-random words for Zobrist hashing (xorshift32, fixed seed: deterministic). */
function zobristWords(n: number): Uint32Array {
  const words = new Uint32Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return words;
}

/** The call/return list: entry e = 2·op is op's call, 2·op + 1 its return; `head` is the sentinel. */
function buildList(ops: readonly Operation[]): { next: Int32Array; prev: Int32Array; head: number } {
  const n = ops.length;
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const at = (e: number): number => {
    const op = ops[e >> 1] as Operation;
    if ((e & 1) === 0) return op.call;
    return op.ret === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : op.ret;
  };
  // History order; on a tie a call comes before a return (they count as concurrent).
  const order = Array.from({ length: 2 * n }, (_, e) => e).sort((a, b) => at(a) - at(b) || (a & 1) - (b & 1));
  let last = head;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = NONE;
  return { next, prev, head };
}

/** Search to the end (or until `shouldStop` says so). */
export function searchLinearization<S>(
  model: ResolvedModel<S>,
  ops: readonly Operation[],
  shouldStop?: StopSignal,
): SearchResult<S> {
  const search = createSearch(model, ops);
  for (;;) {
    const result = search.run(0x10000);
    if (result !== undefined) return result;
    if (shouldStop?.()) return search.abandon();
  }
}

/** A search that runs in slices, so several partitions can take turns (see check.ts). */
export interface Search<S> {
  /** Run up to `budget` steps: the result when done, undefined when there is more to do. */
  run(budget: number): SearchResult<S> | undefined;
  /** Give up: the `unknown` result with the longest prefix found so far. */
  abandon(): SearchResult<S>;
}

export function createSearch<S>(model: ResolvedModel<S>, ops: readonly Operation[]): Search<S> {
  const n = ops.length;
  const { next, prev, head } = buildList(ops);

  const remove = (e: number) => {
    const before = prev[e] as number;
    const after = next[e] as number;
    next[before] = after;
    if (after !== NONE) prev[after] = before;
  };
  const restore = (e: number) => {
    const after = next[e] as number;
    if (after !== NONE) prev[after] = e;
    next[prev[e] as number] = e;
  };

  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words);
  const zobrist = zobristWords(n);
  let setHash = 0;
  const flip = (op: number) => {
    bits[op >>> 5] = (bits[op >>> 5] as number) ^ (1 << (op & 31));
    setHash ^= zobrist[op] as number;
  };
  const { step, hash } = model;
  const cache = new ConfigurationCache<S>(words, model.equal);

  const stackOps = new Int32Array(n);
  const stackStates: S[] = [];
  let depth = 0;
  let state = model.init();
  // The longest prefix so far, copied incrementally: `lowWater` is the shallowest depth the
  // stack was popped to since the last copy, so only stackOps[lowWater..depth) is new.
  const best: number[] = [];
  let bestState = state;
  let lowWater = 0;
  let stuck = NONE;
  let stuckOpen = false;

  let entry = next[head] as number;

  function run(budget: number): SearchResult<S> | undefined {
    for (let steps = 0; steps < budget; steps++) {
      if (next[head] === NONE) return { type: 'linearizable', order: Array.from(stackOps.subarray(0, depth)) };
      if ((entry & 1) === 0) {
        const op = entry >> 1;
        const after = step(state, ops[op] as Operation);
        if (after !== undefined) {
          flip(op);
          if (cache.add((setHash ^ Math.imul(hash(after), 0x85ebca6b)) | 0, bits, after)) {
            stackOps[depth] = op;
            stackStates[depth] = state;
            depth++;
            state = after;
            remove(entry);
            remove(entry + 1);
            if (depth > best.length) {
              best.length = Math.min(lowWater, best.length);
              for (let i = best.length; i < depth; i++) best.push(stackOps[i] as number);
              lowWater = depth;
              bestState = state;
              stuckOpen = true;
            }
            entry = next[head] as number;
            continue;
          }
          flip(op);
        }
        entry = next[entry] as number;
      } else {
        if (stuckOpen) {
          stuck = entry >> 1;
          stuckOpen = false;
        }
        if (depth === 0) return { type: 'not-linearizable', prefix: best, state: bestState, stuck };
        depth--;
        if (depth < lowWater) lowWater = depth;
        const op = stackOps[depth] as number;
        state = stackStates[depth] as S;
        flip(op);
        // Put the return back before the call, so each pointer they kept is valid again.
        restore(2 * op + 1);
        restore(2 * op);
        entry = next[2 * op] as number;
      }
    }
    return undefined;
  }
  return { run, abandon: () => ({ type: 'unknown', prefix: best.slice() }) };
}
