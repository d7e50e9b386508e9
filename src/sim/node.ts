/**
 * Nodes: the state that outlives an incarnation (name, clock, disk, random streams) and the
 * {@link NodeContext} of one incarnation. A context belongs to the incarnation that booted
 * with it: once that incarnation crashes, its sends are dropped, its timers never fire, its
 * handlers are gone and its disk writes are ignored — async work left over from a dead
 * incarnation cannot act.
 */
import { NodeClock } from './clock.js';
import { DiskState, diskHandle } from './disk.js';
import { badInput, checkNumber } from './errors.js';
import type { SimEvent } from './event.js';
import type { RandomStream } from './random.js';
import type {
  BootFunction,
  NodeContext,
  Random,
  Runtime,
  SendOptions,
  SimDisk,
  SimMessage,
  SimNode,
  TimerHandle,
} from './types.js';

/** Whatever it returns is ignored, except that a promise that rejects fails the run. */
export type MessageHandler = (message: SimMessage) => unknown;

/** What a node needs from the kernel. */
export interface NodeHost {
  readonly now: number;
  send(node: NodeState, incarnation: number, to: string, payload: unknown, port: string, size: number): void;
  /** A timer owned by the node's incarnation; `ms` is in the node's local time. */
  timer(node: NodeState, incarnation: number, fn: () => void, ms: number, repeat: boolean): TimerHandle;
  record(node: NodeState, event: { readonly type: string; readonly [key: string]: unknown }): void;
}

export class NodeState implements SimNode {
  alive = true;
  paused = false;
  incarnation = 1;
  addressEpoch = 0;
  handlers = new Map<string, MessageHandler>();
  /** The kernel's rejection handler per port (failing the run), cached so a delivery allocates none. */
  rejecters: Map<string, (error: unknown) => void> | null = null;
  /** Events that came due while paused, in order; rescheduled on resume. */
  deferred: SimEvent[] = [];
  readonly clock: NodeClock;
  readonly disk = new DiskState();
  readonly random: RandomStream;
  context: Context;
  #streams: Map<string, RandomStream> | null = null;

  constructor(
    readonly name: string,
    readonly boot: BootFunction,
    readonly host: NodeHost,
    worldRandom: RandomStream,
    startTime: number,
    /** The node's name interned in the trace. */
    readonly traceRef: number,
  ) {
    this.clock = new NodeClock(startTime);
    this.random = worldRandom.fork(`node:${name}`);
    this.context = new Context(this, 1);
  }

  /** The node's named sub-stream `node:<name>/<sub>`, the same object on every call. */
  stream(sub: string): RandomStream {
    const streams = (this.#streams ??= new Map());
    let s = streams.get(sub);
    if (s === undefined) streams.set(sub, (s = this.random.fork(sub)));
    return s;
  }

  /** Start a new incarnation (after a crash), on a new address if asked. */
  reincarnate(newAddress = false): void {
    this.incarnation++;
    if (newAddress) this.addressEpoch++;
    this.alive = true;
    this.paused = false;
    this.handlers = new Map();
    this.deferred = [];
    this.context = new Context(this, this.incarnation);
  }
}

const NOOP = () => {};

class Context implements NodeContext {
  readonly name: string;
  readonly addressEpoch: number;
  readonly runtime: Runtime;
  #disk: SimDisk | null = null;
  readonly #node: NodeState;

  constructor(
    node: NodeState,
    readonly incarnation: number,
  ) {
    this.#node = node;
    this.name = node.name;
    this.addressEpoch = node.addressEpoch;
    const host = node.host;
    this.runtime = {
      clock: { now: () => node.clock.read(host.now) },
      timers: {
        setTimeout: (fn, ms) => host.timer(node, incarnation, fn, ms, false),
        setInterval: (fn, ms) => host.timer(node, incarnation, fn, ms, true),
      },
      random: node.random,
    };
  }

  /** Made on first use: most nodes never touch their disk. */
  get disk(): SimDisk {
    this.#disk ??= diskHandle(this.#node.disk, () => this.#current);
    return this.#disk;
  }

  get #current(): boolean {
    return this.#node.alive && this.#node.incarnation === this.incarnation;
  }

  rng(name: string): Random {
    if (typeof name !== 'string' || name === '') throw badInput(`ctx.rng: name must be a non-empty string`);
    return this.#node.stream(name);
  }

  send(to: string, payload: unknown, options?: SendOptions): void {
    const size = options?.size ?? 0;
    if (size !== 0) checkNumber(`send(${this.name} -> ${to}): size`, size, 0);
    this.#node.host.send(this.#node, this.incarnation, to, payload, options?.port ?? 'default', size);
  }

  on(port: string, handler: MessageHandler): () => void {
    if (typeof handler !== 'function') throw badInput(`ctx.on(${port}): handler must be a function`);
    if (!this.#current) return NOOP;
    const handlers = this.#node.handlers;
    handlers.set(port, handler);
    return () => {
      if (handlers.get(port) === handler) handlers.delete(port);
    };
  }

  record(event: { readonly type: string; readonly [key: string]: unknown }): void {
    if (this.#current) this.#node.host.record(this.#node, event);
  }
}
