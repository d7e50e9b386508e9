/**
 * Faults as small pure rules, and the per-direction link state (healthy / partitioned / held).
 * A rule looks at one message and answers pass, deliver after a delay, or drop; rules apply
 * in install order and the first non-pass verdict wins. Partitions and holds are directed:
 * a symmetric partition is two one-way cuts. A node always reaches itself.
 */
import type { Random } from './types.js';

export type LinkState = 'healthy' | 'partitioned' | 'held';

/** What a rule may look at. */
export interface RuleMessage {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly payload: unknown;
  readonly size: number;
}

/** A rule's only inputs besides the message: virtual time and the link's random stream. */
export interface RuleContext {
  readonly now: number;
  readonly random: Random;
}

export type FaultVerdict =
  | { readonly type: 'pass' }
  /** Deliver after exactly `delayMs`, instead of the link's latency model. */
  | { readonly type: 'deliver'; readonly delayMs: number }
  | { readonly type: 'drop'; readonly reason: string };

export type FaultRule = (message: RuleMessage, ctx: RuleContext) => FaultVerdict;

export const pass: FaultVerdict = { type: 'pass' };
export const deliver = (delayMs: number): FaultVerdict => ({ type: 'deliver', delayMs });
export const drop = (reason: string): FaultVerdict => ({ type: 'drop', reason });

/** The first non-pass verdict of `rules`, in order; pass when all pass. */
export function applyRules(rules: readonly FaultRule[], message: RuleMessage, ctx: RuleContext): FaultVerdict {
  for (const rule of rules) {
    const verdict = rule(message, ctx);
    if (verdict.type !== 'pass') return verdict;
  }
  return pass;
}

/** A set of node names, or '*' for every node. */
export type NodeMatch = ReadonlySet<string> | '*';

interface Cut {
  readonly from: NodeMatch;
  readonly to: NodeMatch;
}

const matches = (match: NodeMatch, name: string) => match === '*' || match.has(name);

/** Directed partitions and holds; answers the state of any link. */
export class LinkTable {
  #cuts: Cut[] = [];
  #holds: Cut[] = [];

  get empty(): boolean {
    return this.#cuts.length === 0 && this.#holds.length === 0;
  }

  cut(from: NodeMatch, to: NodeMatch): void {
    this.#cuts.push({ from, to });
  }

  healAll(): void {
    this.#cuts = [];
  }

  hold(from: string, to: string): void {
    this.#holds.push({ from: asMatch(from), to: asMatch(to) });
  }

  /** Remove the holds installed with exactly these arguments; returns how many were removed. */
  release(from: string, to: string): number {
    const before = this.#holds.length;
    this.#holds = this.#holds.filter((h) => !(sameMatch(h.from, from) && sameMatch(h.to, to)));
    return before - this.#holds.length;
  }

  state(from: string, to: string): LinkState {
    if (from === to) return 'healthy';
    for (const c of this.#cuts) if (matches(c.from, from) && matches(c.to, to)) return 'partitioned';
    for (const h of this.#holds) if (matches(h.from, from) && matches(h.to, to)) return 'held';
    return 'healthy';
  }
}

const asMatch = (name: string): NodeMatch => (name === '*' ? '*' : new Set([name]));
const sameMatch = (match: NodeMatch, name: string) =>
  match === '*' ? name === '*' : name !== '*' && match.size === 1 && match.has(name);
