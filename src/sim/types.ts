/**
 * The simulator's public contracts (the binding API in docs: sim-api). The kernel depends on
 * nothing else of ours, so the runtime shapes below are structural copies of
 * `src/micro/runtime.ts`: a node's `runtime` can be handed to framework code as its Runtime.
 */

import type { FaultRule, LinkState } from './faults.js';
import type { LatencyDistribution } from './latency.js';
import type { TraceEvent } from './trace.js';

/** A uniform random source; `next()` is in [0, 1). Same shape as the framework's Random. */
export interface Random {
  next(): number;
}

/** Epoch milliseconds as the holder sees them. Same shape as the framework's Clock. */
export interface Clock {
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

/** Node-owned virtual timers: kernel events, cancelled on crash, deferred while paused. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
}

/** Structurally identical to the framework's Runtime. */
export interface Runtime {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
}

/** A message as a handler receives it. The payload is the sender's object, never copied. */
export interface SimMessage {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly payload: unknown;
}

export interface SendOptions {
  /** The receiving handler's port. Default: 'default'. */
  readonly port?: string;
  /** Bytes on the wire, for bandwidth (serialisation delay). Default: 0. */
  readonly size?: number;
}

/**
 * A node's disk. Writes are visible to reads at once; `sync()` makes every earlier write
 * durable. On crash, synced data survives and a seed-drawn prefix of the unsynced writes
 * survives (the rest is lost). Values are structured-cloned on write. A handle held by a
 * crashed incarnation ignores writes.
 */
export interface SimDisk {
  get(key: string): unknown;
  put(key: string, value: unknown): void;
  delete(key: string): void;
  /** Keys in sorted order. */
  keys(): string[];
  sync(): void;
}

/** What a node's code sees: its name, incarnation, runtime, network, disk and trace. */
export interface NodeContext {
  readonly name: string;
  /** 1 at creation, +1 on every restart. */
  readonly incarnation: number;
  /**
   * 0 at creation, +1 on every restart onto a new address (`restart(name, { newAddress: true })`):
   * what a node's transport folds into its address, so an address held from before is dead.
   */
  readonly addressEpoch: number;
  readonly runtime: Runtime;
  /** A further named stream of this node: `ctx.rng('retry')` is `node:<name>/retry`. */
  rng(name: string): Random;
  /** Send through the network model. Dropped (and traced) when this incarnation is dead. */
  send(to: string, payload: unknown, options?: SendOptions): void;
  /** Handle messages on `port`; returns an unsubscribe function. One handler per port. */
  on(port: string, handler: (message: SimMessage) => unknown): () => void;
  readonly disk: SimDisk;
  /** Add a custom event to the trace (its `type` must not be a built-in trace type). */
  record(event: { readonly type: string; readonly [key: string]: unknown }): void;
}

/** Runs at creation and again on every restart, with that incarnation's context; a returned promise that rejects fails the run. */
export type BootFunction = (ctx: NodeContext) => unknown;

/** A handle on a simulated node. */
export interface SimNode {
  readonly name: string;
  readonly alive: boolean;
  readonly paused: boolean;
  readonly incarnation: number;
  /** See {@link NodeContext.addressEpoch}. */
  readonly addressEpoch: number;
}

export interface RestartOptions {
  /** Come back on a new address (the node's `addressEpoch` goes up by one). Default: false. */
  readonly newAddress?: boolean;
}

/** A scheduled driver action; `cancel()` before it fires to forget it. */
export interface ScheduledAction {
  cancel(): void;
}

export interface RunLimit {
  /** Virtual milliseconds to allow before rejecting. Default: DEFAULT_RUN_LIMIT_MS. */
  readonly limitMs?: number;
}

/** The network model. Node arguments are names; '*' means any node. Bad input throws. */
export interface SimNetwork {
  latency(from: string, to: string, dist: LatencyDistribution): void;
  loss(from: string, to: string, p: number): void;
  duplicate(from: string, to: string, p: number): void;
  /** With probability p a message skips the link's FIFO order and gets up to `windowMs` extra delay. */
  reorder(from: string, to: string, p: number, windowMs?: number): void;
  bandwidth(from: string, to: string, bytesPerSecond: number): void;
  /** Symmetric: nothing crosses between the groups, either way. */
  partition(groupA: readonly string[], groupB: readonly string[]): void;
  /** `from` → `to` drops; `to` → `from` still delivers. */
  partitionOneWay(from: readonly string[], to: readonly string[]): void;
  /** Cut a node off from every other node, both ways. */
  isolate(node: string): void;
  /** Clear every partition (holds stay). */
  heal(): void;
  /** Queue the link's messages instead of sending them. */
  hold(from: string, to: string): void;
  /** Lift a hold; held messages then travel, in the order they were sent. */
  release(from: string, to: string): void;
  /** Install a fault rule; rules apply in install order, first non-pass verdict wins. Returns uninstall. */
  rule(rule: FaultRule): () => void;
  /** The directed link's state right now. */
  linkState(from: string, to: string): LinkState;
}

/** Counters of a world's work so far. */
export interface SimStats {
  /** Kernel events dispatched (deliveries, timers, actions, including stale ones skipped). */
  readonly events: number;
  /** Virtual instants run (each ends with one real macrotask hop). */
  readonly instants: number;
}

/** A deterministic simulated world. See docs: every method is part of the binding API. */
export interface Sim {
  /** Virtual milliseconds elapsed since the start. */
  readonly now: number;
  readonly seed: string;
  node(name: string, boot: BootFunction): SimNode;
  /** The handle of an existing node; throws UNKNOWN_NODE otherwise. */
  getNode(name: string): SimNode;
  readonly nodes: readonly SimNode[];
  runFor(ms: number): Promise<void>;
  runUntil(predicate: () => boolean, options?: RunLimit): Promise<void>;
  /** Run the next virtual instant (all its events); resolves false when nothing was left. */
  step(): Promise<boolean>;
  settle<T>(promise: PromiseLike<T>, options?: RunLimit): Promise<T>;
  schedule(atMs: number, action: () => void, label?: string): ScheduledAction;
  exec<T>(nodeName: string, fn: (ctx: NodeContext) => T | PromiseLike<T>): Promise<T>;
  readonly net: SimNetwork;
  crash(name: string): void;
  /** Crash (if alive) and boot a new incarnation; `{ newAddress: true }` moves it onto a new address. */
  restart(name: string, options?: RestartOptions): void;
  pause(name: string): void;
  resume(name: string): void;
  /** Set the node's clock offset: from now on it reads true time + ms (drift continues). */
  skew(name: string, ms: number): void;
  /** Set the node's clock rate (1 = true time; 1.001 runs 0.1% fast). */
  drift(name: string, rate: number): void;
  readonly trace: readonly TraceEvent[];
  readonly stats: SimStats;
  /** Stable hex hash of every traced event, computed incrementally. */
  traceHash(): string;
  /** A world-level named stream (nemesis, workloads). */
  rng(name: string): Random;
  /** Add a world-level custom event to the trace (no node); its `type` must not be a built-in one. */
  record(event: { readonly type: string; readonly [key: string]: unknown }): void;
  readonly disposed: boolean;
  dispose(): void;
}
