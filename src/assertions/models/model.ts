/**
 * A model is the sequential specification the checker searches against: a start state and a
 * step function. A user model is a few lines:
 *
 * ```ts
 * const counter: Model<number> = {
 *   name: 'counter',
 *   init: () => 0,
 *   step: (n, op) => (op.f === 'add' ? n + Number(op.input) : op.status === 'unknown' || op.output === n ? n : undefined),
 * };
 * ```
 */
import type { Operation } from '../history.js';

export interface Model<S = unknown> {
  /** Shown in verdicts and failure messages. */
  readonly name: string;
  /** The state before any operation. Must not be `undefined`. */
  init(): S;
  /**
   * The state after `op` takes effect in `state`, or `undefined` when `op` (with its observed
   * output) cannot happen in `state`. States are values: never mutate `state`, return a new
   * one. An `unknown` operation has no output and may be placed anywhere after its invoke,
   * including at the very end (which models "never took effect").
   */
  step(state: S, op: Operation): S | undefined;
  /** Which operations take part. Default: all but `fail` (Jepsen: a failed operation had no effect). */
  admits?(op: Operation): boolean;
  /** The independent part of the state `op` touches (P-compositionality). Default: one part. */
  partition?(op: Operation): string;
  /** State equality. Default: `===` for primitives, structural for arrays and plain objects. */
  equal?(a: S, b: S): boolean;
  /**
   * A 32-bit hash consistent with `equal`, to tell states apart cheaply in the search's
   * memory. Worth giving when many states share a linearized set (e.g. concurrent appends).
   * Default: {@link defaultHash} (primitives hashed, objects all alike: compared by `equal`).
   */
  hash?(state: S): number;
  /** A state for people (violations show the state the search got stuck in). Default: JSON. */
  describeState?(state: S): string;
}

/** Default admission: drop failed operations. */
export const admitsCompleted = (op: Operation): boolean => op.status !== 'fail';

/** FNV-1a over a string, optionally continuing from an earlier hash (`seed`). */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Numbers, strings and booleans hashed; null, undefined and objects hash alike (compared by `equal`). */
export function defaultHash(state: unknown): number {
  switch (typeof state) {
    case 'number':
      return Number.isInteger(state) ? Math.imul(state | 0, 0x9e3779b1) : hashString(String(state));
    case 'string':
      return hashString(state);
    case 'boolean':
      return state ? 1 : 2;
    default:
      return 0;
  }
}

/** Structural equality for plain data: arrays by element, objects by key, primitives by `===`. */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !valueEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/** JSON with object keys sorted, so equal values print equally. */
export function stableJson(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v instanceof Set) return `#{${[...v].map(stableJson).sort().join(',')}}`;
  const o = v as Record<string, unknown>;
  if (typeof (o as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(o);
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

/** A model with every optional part filled in: what the checker runs. */
export interface ResolvedModel<S = unknown> {
  readonly name: string;
  init(): S;
  step(state: S, op: Operation): S | undefined;
  admits(op: Operation): boolean;
  partition(op: Operation): string;
  equal(a: S, b: S): boolean;
  hash(state: S): number;
  describeState(state: S): string;
}

/** Fill in a model's defaults and check its shape, naming the bad property. */
export function resolveModel<S>(model: Model<S>): ResolvedModel<S> {
  if (typeof model !== 'object' || model === null) throw new TypeError('model: expected an object');
  if (typeof model.name !== 'string' || model.name === '')
    throw new TypeError('model.name: expected a non-empty string');
  if (typeof model.init !== 'function') throw new TypeError(`model.init (${model.name}): expected a function`);
  if (typeof model.step !== 'function') throw new TypeError(`model.step (${model.name}): expected a function`);
  if (model.init() === undefined) throw new TypeError(`model.init (${model.name}): the state must not be undefined`);
  return {
    name: model.name,
    init: model.init.bind(model),
    step: model.step.bind(model),
    admits: model.admits?.bind(model) ?? admitsCompleted,
    partition: model.partition?.bind(model) ?? (() => ''),
    equal: model.equal?.bind(model) ?? valueEquals,
    hash: model.hash?.bind(model) ?? defaultHash,
    describeState: model.describeState?.bind(model) ?? stableJson,
  };
}
