/**
 * The network model. A message goes through, in order: the directed link's state
 * (partitioned ⇒ drop, held ⇒ queue until release), the installed fault rules (first non-pass
 * verdict wins), loss, then timing — bandwidth (serialisation behind earlier messages),
 * latency drawn from the link's distribution, FIFO order per link unless the reorder fault
 * lets the message overtake — and finally duplication. Each directed link draws from its own
 * stream `link:<from>-><to>`, created only when a draw is needed.
 */
import { badInput, checkNumber } from './errors.js';
import { applyRules, type FaultRule, type LinkState, LinkTable } from './faults.js';
import { DEFAULT_LATENCY, drawLatency, type LatencyDistribution, validateLatency } from './latency.js';
import type { RandomStream } from './random.js';
import type { MessageRefs, Trace } from './trace.js';

/** A message in flight: what the handler receives, plus its id, size and trace refs. */
export interface Envelope extends MessageRefs {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly payload: unknown;
  readonly size: number;
}

/** What the network needs from the kernel; `N` is the kernel's node, opaque here. */
export interface NetworkHost<N> {
  readonly now: number;
  readonly trace: Trace;
  readonly random: RandomStream;
  /** Schedule delivery of `envelope` to `target` at `time` (rounded up to the resolution); returns that time. */
  deliverAt(time: number, envelope: Envelope, target: N): number;
}

interface LinkSettings {
  latency: LatencyDistribution;
  loss: number;
  duplicate: number;
  reorder: { readonly p: number; readonly windowMs: number };
  /** Bytes per second; Infinity means no serialisation delay. */
  bandwidth: number;
}

export const DEFAULT_REORDER_WINDOW_MS = 10;

const DEFAULT_SETTINGS: LinkSettings = {
  latency: DEFAULT_LATENCY,
  loss: 0,
  duplicate: 0,
  reorder: { p: 0, windowMs: DEFAULT_REORDER_WINDOW_MS },
  bandwidth: Number.POSITIVE_INFINITY,
};

/** One directed link: its resolved settings (cached by version) and its timing state. */
class Link {
  settings: LinkSettings = DEFAULT_SETTINGS;
  version = -1;
  /** Time the link finishes serialising what it already carries. */
  busyUntil = 0;
  /** Latest arrival time scheduled in FIFO order. */
  lastArrival = 0;
  #random: RandomStream | undefined;

  constructor(
    readonly from: string,
    readonly to: string,
    readonly host: NetworkHost<unknown>,
  ) {}

  get random(): RandomStream {
    this.#random ??= this.host.random.fork(`link:${this.from}->${this.to}`);
    return this.#random;
  }
}

export class Network<N> {
  readonly #host: NetworkHost<N>;
  readonly #table = new LinkTable();
  readonly #rules: FaultRule[] = [];
  /** Settings by `from\0to` pattern ('*' allowed), per field. */
  readonly #settings = new Map<string, Partial<LinkSettings>>();
  /** Links by the endpoints' trace refs: `#links[fromRef][toRef]`. */
  readonly #links: Link[][] = [];
  #version = 0;
  /** Held messages, oldest first. */
  #held: { readonly env: Envelope; readonly target: N }[] = [];

  constructor(host: NetworkHost<N>) {
    this.#host = host;
  }

  // --- configuration (names are validated by the caller) ---

  setLatency(from: string, to: string, dist: LatencyDistribution): void {
    this.#set(from, to, 'latency', validateLatency(`net.latency(${from}, ${to})`, dist));
  }

  setLoss(from: string, to: string, p: number): void {
    this.#set(from, to, 'loss', checkNumber(`net.loss(${from}, ${to}): probability`, p, 0, 1));
  }

  setDuplicate(from: string, to: string, p: number): void {
    this.#set(from, to, 'duplicate', checkNumber(`net.duplicate(${from}, ${to}): probability`, p, 0, 1));
  }

  setReorder(from: string, to: string, p: number, windowMs: number): void {
    checkNumber(`net.reorder(${from}, ${to}): probability`, p, 0, 1);
    checkNumber(`net.reorder(${from}, ${to}): windowMs`, windowMs, 0);
    this.#set(from, to, 'reorder', { p, windowMs });
  }

  setBandwidth(from: string, to: string, bytesPerSecond: number): void {
    checkNumber(`net.bandwidth(${from}, ${to}): bytesPerSecond`, bytesPerSecond, 0);
    if (bytesPerSecond === 0) throw badInput(`net.bandwidth(${from}, ${to}): bytesPerSecond must be > 0, got 0`);
    this.#set(from, to, 'bandwidth', bytesPerSecond);
  }

  get table(): LinkTable {
    return this.#table;
  }

  addRule(rule: FaultRule): () => void {
    if (typeof rule !== 'function') throw badInput('net.rule: a rule must be a function (message, ctx) => verdict');
    this.#rules.push(rule);
    return () => {
      const i = this.#rules.indexOf(rule);
      if (i >= 0) this.#rules.splice(i, 1);
    };
  }

  linkState(from: string, to: string): LinkState {
    return this.#table.state(from, to);
  }

  /** Send the held messages whose link is no longer held, in the order they were sent. */
  flushHeld(): void {
    const still: { env: Envelope; target: N }[] = [];
    const go: { env: Envelope; target: N }[] = [];
    for (const held of this.#held) (this.#table.state(held.env.from, held.env.to) === 'held' ? still : go).push(held);
    this.#held = still;
    for (const { env, target } of go) this.route(env, target);
  }

  // --- the path of one message ---

  /** Route a message to `target`, or to nowhere (null: no such node). */
  route(env: Envelope, target: N | null): void {
    const host = this.#host;
    const trace = host.trace;
    const now = host.now;
    if (target === null) {
      trace.message(now, 'drop', env, false, 'unknown-node');
      return;
    }
    if (!this.#table.empty) {
      const state = this.#table.state(env.from, env.to);
      if (state === 'partitioned') {
        trace.message(now, 'drop', env, false, 'partition');
        return;
      }
      if (state === 'held') {
        this.#held.push({ env, target });
        trace.message(now, 'held', env, false);
        return;
      }
    }
    const link = this.#link(env);
    const s = link.settings;
    if (this.#rules.length > 0) {
      const verdict = applyRules(this.#rules, env, { now: now, random: link.random });
      if (verdict.type === 'drop') {
        trace.message(now, 'drop', env, false, verdict.reason);
        return;
      }
      if (verdict.type === 'deliver') {
        host.deliverAt(now + Math.max(0, verdict.delayMs), env, target);
        return;
      }
    }
    if (s.loss > 0 && link.random.chance(s.loss)) {
      trace.message(now, 'drop', env, false, 'loss');
      return;
    }
    let departed = now;
    if (s.bandwidth !== Number.POSITIVE_INFINITY && env.size > 0) {
      departed = Math.max(departed, link.busyUntil) + (env.size * 1000) / s.bandwidth;
      link.busyUntil = departed;
    }
    const latency = s.latency.type === 'constant' ? s.latency.ms : drawLatency(s.latency, link.random);
    let arrival: number;
    if (s.reorder.p > 0 && link.random.chance(s.reorder.p)) {
      arrival = host.deliverAt(departed + latency + link.random.next() * s.reorder.windowMs, env, target);
    } else {
      arrival = host.deliverAt(Math.max(departed + latency, link.lastArrival), env, target);
      link.lastArrival = arrival;
    }
    if (s.duplicate > 0 && link.random.chance(s.duplicate)) {
      trace.message(now, 'duplicate', env, false);
      const again = departed + (s.latency.type === 'constant' ? s.latency.ms : drawLatency(s.latency, link.random));
      host.deliverAt(Math.max(again, arrival), env, target);
    }
  }

  #set<K extends keyof LinkSettings>(from: string, to: string, field: K, value: LinkSettings[K]): void {
    const key = `${from}\u0000${to}`;
    const entry = this.#settings.get(key) ?? {};
    entry[field] = value;
    this.#settings.set(key, entry);
    this.#version++;
  }

  #link(env: Envelope): Link {
    const byTo = (this.#links[env.fromRef] ??= []);
    let link = byTo[env.toRef];
    if (link === undefined) byTo[env.toRef] = link = new Link(env.from, env.to, this.#host);
    if (link.version !== this.#version) {
      link.settings = this.#resolve(env.from, env.to);
      link.version = this.#version;
    }
    return link;
  }

  /** Per field, the most specific setting: from→to, from→*, *→to, *→*, then the default. */
  #resolve(from: string, to: string): LinkSettings {
    if (this.#settings.size === 0) return DEFAULT_SETTINGS;
    const layers = [`${from}\u0000${to}`, `${from}\u0000*`, `*\u0000${to}`, '*\u0000*'].map((k) =>
      this.#settings.get(k),
    );
    const pick = <K extends keyof LinkSettings>(field: K): LinkSettings[K] => {
      for (const layer of layers) {
        const v = layer?.[field];
        if (v !== undefined) return v as LinkSettings[K];
      }
      return DEFAULT_SETTINGS[field];
    };
    return {
      latency: pick('latency'),
      loss: pick('loss'),
      duplicate: pick('duplicate'),
      reorder: pick('reorder'),
      bandwidth: pick('bandwidth'),
    };
  }
}
