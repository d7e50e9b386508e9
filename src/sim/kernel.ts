/**
 * The kernel: one event queue ordered by (virtual time, sequence), run one virtual *instant*
 * at a time. Within an instant each event is dispatched, then already-queued microtasks get a
 * few turns; when the instant has no events left the kernel makes one real macrotask hop,
 * which drains the microtask queue exactly, and continues if that drain scheduled more events
 * at the same instant. Time then jumps to the next event's instant; it never moves backwards.
 * More than `maxEventsPerInstant` events at one instant, beyond those already queued for it when
 * it began (100k nodes booting at once are no livelock), is a livelock and stops the run.
 */
import { badInput, checkNumber, DeterminismViolationError, SimError } from './errors.js';
import { SimEvent } from './event.js';
import { Execution } from './execution.js';
import type { FaultRule, NodeMatch } from './faults.js';
import { GlobalPatch, realSetImmediate } from './globals.js';
import { httpRouter } from './http-routes.js';
import type { LatencyDistribution } from './latency.js';
import { DEFAULT_REORDER_WINDOW_MS, type Envelope, Network } from './network.js';
import { type NodeHost, NodeState } from './node.js';
import { DEFAULT_RUN_LIMIT_MS, resolveSimOptions, type SimConfig, type SimOptions } from './options.js';
import { EventQueue } from './queue.js';
import { createRandom, type RandomStream } from './random.js';
import { RealWorkWatch } from './real-work.js';
import { KERNEL_EVENT_TYPES, NEW_ADDRESS, Trace, type TraceEvent } from './trace.js';
import type {
  BootFunction,
  NodeContext,
  Random,
  RestartOptions,
  RunLimit,
  ScheduledAction,
  Sim,
  SimNetwork,
  SimNode,
  SimStats,
  TimerHandle,
} from './types.js';

/** Create a deterministic simulated world. */
export function createSim(options: SimOptions): Sim {
  return new Simulation(resolveSimOptions(options));
}

const hop = () => new Promise<void>((resolve) => realSetImmediate(resolve));
const handling = (port: string) => `handling a message on port "${port}"`;
const doing = (what: string | Envelope) => (typeof what === 'string' ? what : handling(what.port));
/**
 * One microtask turn is a reaction on this already-resolved promise: it runs where `await` of a
 * resolved promise would resume, cheaper than an async frame's resume (and than Node's
 * `queueMicrotask`, which wraps every callback in an async resource).
 */
const TURN = Promise.resolve();
const NO_TIMER: TimerHandle = { cancel: () => {} };

/** How a stretch of instants ended: `#drive` still to check `done`, `done` false (checked), `done` true. */
type InstantEnd = 'open' | 'checked' | 'done';

type CustomRecord = { readonly type: string; readonly [key: string]: unknown };

class Simulation implements Sim {
  readonly seed: string;
  readonly net: SimNetwork;
  readonly #config: SimConfig;
  readonly #queue = new EventQueue<SimEvent>();
  readonly #trace: Trace;
  readonly #random: RandomStream;
  readonly #streams = new Map<string, RandomStream>();
  readonly #network: Network<NodeState>;
  readonly #nodes = new Map<string, NodeState>();
  readonly #globals: GlobalPatch | null;
  /** Real async work pending at an instant boundary fails the run (null when real I/O is allowed). */
  readonly #realWork: RealWorkWatch | null;
  readonly #pendingExecs = new Set<(error: unknown) => void>();
  #now = 0;
  #running = false;
  #disposed = false;
  #failure: SimError | null = null;
  /** The node whose event ran last: owner of global timers, Date and Math.random draws. */
  #current: NodeState | null = null;
  #events = 0;
  #instants = 0;
  #messageSeq = 0;
  #timerSeq = 0;
  // The instant in progress (see #instant).
  #instantNow = 0;
  #instantMax = 0;
  #instantCount = 0;
  #turnsLeft = 0;
  #instantResolve: (end: InstantEnd) => void = () => {};
  #chainDeadline = 0;
  #chainDone: (() => boolean) | null = null;
  #instantReject: (error: unknown) => void = () => {};
  /** What every node sees of the kernel (one object for all of them). */
  readonly #host: NodeHost = this.#makeHost();

  constructor(config: SimConfig) {
    this.#config = config;
    this.seed = config.seed;
    this.#trace = new Trace(config.trace, config.traceWindow, config.traceCustom);
    this.#random = createRandom(config.seed);
    const sim = this;
    this.#network = new Network<NodeState>({
      get now() {
        return sim.#now;
      },
      trace: this.#trace,
      random: this.#random,
      deliverAt: (time, envelope, target) => this.#deliverAt(time, envelope, target),
    });
    this.net = this.#netApi();
    this.#realWork = config.virtualiseGlobals && config.realIO === 'forbid' ? new RealWorkWatch() : null;
    this.#globals = config.virtualiseGlobals
      ? new GlobalPatch({
          elapsed: () => this.#now,
          wallClock: () => this.#current?.clock.read(this.#now) ?? this.#config.startTime + this.#now,
          random: () => (this.#current?.stream('Math.random') ?? this.#worldStream('Math.random')).next(),
          schedule: (fn, ms, repeat) => this.#timer(this.#current, this.#current?.incarnation ?? 0, fn, ms, repeat),
          http: httpRouter(this, () => this.#current?.context ?? null),
          ...(this.#realWork === null ? {} : { realWork: this.#realWork }),
          ...(config.realIO === 'allow'
            ? {}
            : {
                violation: (error: SimError) => {
                  this.#failure ??= error;
                },
              }),
        })
      : null;
  }

  get now(): number {
    return this.#now;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  get nodes(): readonly SimNode[] {
    return [...this.#nodes.values()];
  }

  get trace(): readonly TraceEvent[] {
    return this.#trace.events;
  }

  get stats(): SimStats {
    return { events: this.#events, instants: this.#instants };
  }

  traceHash(): string {
    return this.#trace.hash();
  }

  rng(name: string): Random {
    this.#usable('rng');
    if (typeof name !== 'string' || name === '') throw badInput('sim.rng: name must be a non-empty string');
    return this.#worldStream(name);
  }

  /** Add a world-level custom event to the trace (nemesis, workloads). */
  record(event: CustomRecord): void {
    this.#usable('record');
    this.#record(null, event);
  }

  // --- nodes ---

  node(name: string, boot: BootFunction): SimNode {
    this.#usable('node');
    if (typeof name !== 'string' || name === '' || name === '*') {
      throw badInput(`sim.node: name must be a non-empty string other than '*', got ${JSON.stringify(name)}`);
    }
    if (this.#nodes.has(name)) throw badInput(`sim.node: a node named "${name}" already exists`);
    if (typeof boot !== 'function') throw badInput(`sim.node(${name}): boot must be a function`);
    const node = new NodeState(name, boot, this.#host, this.#random, this.#config.startTime, this.#trace.intern(name));
    this.#nodes.set(name, node);
    this.#scheduleBoot(node);
    return node;
  }

  getNode(name: string): SimNode {
    return this.#node('getNode', name);
  }

  crash(name: string): void {
    const node = this.#node('crash', name);
    if (!node.alive) return;
    this.#crash(node);
  }

  restart(name: string, options?: RestartOptions): void {
    const node = this.#node('restart', name);
    const newAddress = options?.newAddress === true;
    if (node.alive) this.#crash(node);
    node.reincarnate(newAddress);
    this.#trace.event(this.#now, 'restart', name, node.incarnation, newAddress ? NEW_ADDRESS : '');
    this.#scheduleBoot(node);
  }

  pause(name: string): void {
    const node = this.#node('pause', name);
    if (!node.alive || node.paused) return;
    node.paused = true;
    this.#trace.event(this.#now, 'pause', name, node.incarnation);
  }

  resume(name: string): void {
    const node = this.#node('resume', name);
    if (!node.paused) return;
    node.paused = false;
    this.#trace.event(this.#now, 'resume', name, node.incarnation);
    const deferred = node.deferred;
    node.deferred = [];
    for (const event of deferred) {
      if (event.cancelled) continue;
      event.time = this.#now;
      this.#queue.push(event);
    }
  }

  skew(name: string, ms: number): void {
    const node = this.#node('skew', name);
    checkNumber(`skew(${name}): ms`, ms, Number.NEGATIVE_INFINITY);
    node.clock.skew(this.#now, ms);
    this.#trace.event(this.#now, 'skew', name, ms);
  }

  drift(name: string, rate: number): void {
    const node = this.#node('drift', name);
    checkNumber(`drift(${name}): rate`, rate, 0);
    if (rate === 0) throw badInput(`drift(${name}): rate must be > 0, got 0`);
    node.clock.drift(this.#now, rate);
    this.#trace.event(this.#now, 'drift', name, rate);
  }

  // --- driving ---

  runFor(ms: number): Promise<void> {
    checkNumber('runFor: ms', ms, 0);
    return this.#run('runFor', () => this.#drive(this.#now + ms, null, 'runFor', ms));
  }

  runUntil(predicate: () => boolean, options: RunLimit = {}): Promise<void> {
    if (typeof predicate !== 'function') throw badInput('runUntil: predicate must be a function');
    const limit = checkNumber('runUntil: limitMs', options.limitMs ?? DEFAULT_RUN_LIMIT_MS, 0);
    return this.#run('runUntil', () => this.#drive(this.#now + limit, predicate, 'runUntil', limit));
  }

  step(): Promise<boolean> {
    return this.#run('step', async () => {
      if (this.#queue.size === 0) return false;
      this.#now = this.#queue.nextTime;
      await this.#instant(Number.NEGATIVE_INFINITY, null);
      this.#check('step');
      return true;
    });
  }

  settle<T>(promise: PromiseLike<T>, options: RunLimit = {}): Promise<T> {
    const limit = checkNumber('settle: limitMs', options.limitMs ?? DEFAULT_RUN_LIMIT_MS, 0);
    return this.#run('settle', async () => {
      let state = 'pending' as 'pending' | 'fulfilled' | 'rejected';
      let value: T | undefined;
      let reason: unknown;
      Promise.resolve(promise).then(
        (v) => {
          state = 'fulfilled';
          value = v;
        },
        (e: unknown) => {
          state = 'rejected';
          reason = e;
        },
      );
      await this.#drive(this.#now + limit, () => state !== 'pending', 'settle', limit);
      if (state === 'rejected') throw reason;
      return value as T;
    });
  }

  schedule(atMs: number, action: () => void, label = 'action'): ScheduledAction {
    this.#usable('schedule');
    checkNumber('schedule: atMs', atMs, 0);
    if (atMs < this.#now) throw badInput(`schedule: atMs ${atMs} is in the past (now is ${this.#now} ms)`);
    if (typeof action !== 'function') throw badInput('schedule: action must be a function');
    const event = new SimEvent(this.#at(atMs), 'action', null, 0, action, null, 0, 0, label);
    event.owner = this.#queue;
    this.#queue.push(event);
    return event;
  }

  exec<T>(nodeName: string, fn: (ctx: NodeContext) => T | PromiseLike<T>): Promise<T> {
    const node = this.#node('exec', nodeName);
    if (typeof fn !== 'function') throw badInput(`exec(${nodeName}): fn must be a function`);
    const inner = new Promise<T>((resolve, reject) => {
      this.#pendingExecs.add(reject);
      const run = () => {
        this.#pendingExecs.delete(reject);
        if (!node.alive) {
          reject(new SimError('NODE_DOWN', `exec(${nodeName}): node "${nodeName}" is crashed`));
          return;
        }
        this.#current = node;
        this.#trace.event(this.#now, 'exec', nodeName, node.incarnation);
        try {
          Promise.resolve(fn(node.context)).then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      };
      this.#queue.push(new SimEvent(this.#now, 'action', null, 0, run, null, 0, 0, ''));
    });
    return new Execution(inner, (p) => (this.#running || this.#disposed ? null : this.settle(p)));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#globals?.uninstall();
    this.#queue.clear();
    const error = new SimError('DISPOSED', 'exec: the simulation was disposed before this ran');
    for (const reject of this.#pendingExecs) reject(error);
    this.#pendingExecs.clear();
  }

  // --- the loop ---

  async #run<T>(what: string, body: () => Promise<T>): Promise<T> {
    this.#usable(what);
    if (this.#running) {
      throw new SimError(
        'ALREADY_RUNNING',
        `${what}: the simulation is already running (an earlier run was not awaited, or node code called it)`,
      );
    }
    this.#running = true;
    try {
      this.#globals?.install();
      return await body();
    } finally {
      this.#globals?.uninstall();
      this.#running = false;
      this.#current = null;
    }
  }

  async #drive(deadline: number, done: (() => boolean) | null, what: string, limit: number): Promise<void> {
    const queue = this.#queue;
    // Work started outside the run (the promise handed to `settle`, say) may still be a few
    // microtasks short of scheduling its first event at the current instant: let it get there
    // before time moves on.
    await hop();
    this.#globals?.install();
    let ended = 'open' as InstantEnd;
    for (;;) {
      this.#check(what);
      if (ended === 'done') return;
      if (ended === 'open' && done?.()) return;
      if (queue.nextTime > deadline) {
        if (done === null) {
          this.#now = Math.max(this.#now, deadline);
          return;
        }
        ended = 'open';
        await hop(); // a promise may settle with no event at all
        this.#globals?.install();
        if (this.#realWork !== null) this.#realWorkCheck();
        this.#check(what);
        if (done()) return;
        if (queue.nextTime <= deadline) continue;
        if (queue.size === 0) {
          throw new SimError(
            'DEADLOCK',
            `${what}: nothing is left to run at virtual time ${this.#now} ms and the awaited condition is still false`,
          );
        }
        this.#now = deadline;
        throw new SimError('RUN_LIMIT', `${what}: still not done after ${limit} virtual ms (now ${this.#now} ms)`);
      }
      this.#now = queue.nextTime;
      ended = await this.#instant(deadline, done);
    }
  }

  /**
   * Run every event of the current instant, including those its microtasks schedule there.
   * A callback loop, not an async function: a microtask turn is one reaction on `TURN`, the
   * drain is one real `setImmediate` whose callback carries on directly (no promise per hop).
   * While `done` is false and the next instant is due by `deadline`, it goes on to that instant
   * itself, as `#drive` would (one promise per stretch of instants, not per instant).
   */
  #instant(deadline: number, done: (() => boolean) | null): Promise<InstantEnd> {
    this.#begin();
    this.#chainDeadline = deadline;
    this.#chainDone = done;
    return new Promise<InstantEnd>((resolve, reject) => {
      this.#instantResolve = resolve;
      this.#instantReject = reject;
      this.#runInstant();
    });
  }

  #begin(): void {
    const now = this.#now;
    this.#instantNow = now;
    this.#instantMax = this.#config.maxEventsPerInstant + this.#queue.countAt(now);
    this.#instantCount = 0;
    this.#instants++;
  }

  /** Dispatch the instant's events until one needs a microtask turn, or the instant needs its hop. */
  #runInstant(): void {
    const queue = this.#queue;
    const now = this.#instantNow;
    const turns = this.#config.microtaskTurns;
    try {
      while (queue.nextTime === now) {
        this.#dispatch(queue.pop()!);
        this.#events++;
        if (++this.#instantCount > this.#instantMax) throw this.#livelock(this.#config.maxEventsPerInstant);
        if (this.#failure !== null || this.#disposed) {
          this.#instantResolve('open');
          return;
        }
        if (turns > 0 && queue.nextTime === now) {
          this.#turnsLeft = turns;
          TURN.then(this.#turn);
          return;
        }
      }
      realSetImmediate(this.#afterHop);
    } catch (error) {
      this.#instantReject(error);
    }
  }

  readonly #turn = (): void => {
    if (--this.#turnsLeft > 0) TURN.then(this.#turn);
    else this.#runInstant();
  };

  readonly #afterHop = (): void => {
    const queue = this.#queue;
    const now = this.#instantNow;
    let end: InstantEnd | null = null;
    try {
      this.#globals?.install();
      if (this.#realWork !== null && queue.nextTime !== now) this.#realWorkCheck();
      if (this.#failure !== null || this.#disposed) end = 'open';
      else if (queue.nextTime !== now) {
        // The instant is over: what #drive would check before the next one.
        if (this.#chainDone?.()) end = 'done';
        else if (queue.nextTime > this.#chainDeadline) end = 'checked';
        else {
          this.#now = queue.nextTime;
          this.#begin();
        }
      }
    } catch (error) {
      this.#instantReject(error);
      return;
    }
    if (end === null) this.#runInstant();
    else this.#instantResolve(end);
  };

  #dispatch(event: SimEvent): void {
    if (event.cancelled) return;
    const node = event.node;
    if (node !== null) {
      if (!node.alive || node.incarnation !== event.incarnation) {
        const env = event.envelope;
        if (env !== null) this.#drop(env, node.alive ? 'receiver-restarted' : 'receiver-down');
        return;
      }
      if (node.paused) {
        node.deferred.push(event);
        return;
      }
    }
    this.#current = node;
    switch (event.kind) {
      case 'deliver':
        this.#deliver(event.envelope!, node!);
        return;
      case 'timer':
        this.#fire(event);
        return;
      case 'action':
        this.#act(event);
        return;
      default: {
        const never: never = event.kind;
        throw new Error(`unknown event kind ${String(never)}`);
      }
    }
  }

  #deliver(env: Envelope, node: NodeState): void {
    const handler = node.handlers.get(env.port);
    if (handler === undefined) {
      this.#drop(env, 'no-handler');
      return;
    }
    this.#trace.message(this.#now, 'deliver', env, true);
    try {
      const result = handler(env);
      // One cached rejection handler per (node, port): no closure per delivery.
      if (result !== undefined && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, this.#rejecter(node, env.port));
      }
    } catch (error) {
      this.#fail(node, doing(env), error);
    }
  }

  #fire(event: SimEvent): void {
    const node = event.node;
    this.#trace.timer(this.#now, node === null ? 0 : node.traceRef, event.id);
    try {
      event.fn!();
    } catch (error) {
      this.#fail(node, `running timer ${event.id}`, error);
    }
    if (event.period > 0 && !event.cancelled && (node === null || node.incarnation === event.incarnation)) {
      event.time = this.#at(this.#now + (node === null ? event.period : node.clock.toVirtual(event.period)));
      this.#queue.push(event);
    }
  }

  #act(event: SimEvent): void {
    if (event.label !== '') this.#trace.action(this.#now, event.label);
    try {
      const result = event.fn!();
      if (result !== undefined) this.#watch(result, event.node, event.label || 'booting');
    } catch (error) {
      this.#fail(event.node, event.label || 'booting', error);
    }
  }

  /** Fail the run if an async handler, boot or action rejects (`what` is described only then). */
  #watch(result: unknown, node: NodeState | null, what: string | Envelope): void {
    if (typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.#fail(node, doing(what), error));
    }
  }

  #rejecter(node: NodeState, port: string): (error: unknown) => void {
    const rejecters = (node.rejecters ??= new Map());
    let fn = rejecters.get(port);
    if (fn === undefined) {
      const what = handling(port);
      fn = (error: unknown) => this.#fail(node, what, error);
      rejecters.set(port, fn);
    }
    return fn;
  }

  #fail(node: NodeState | null, what: string, error: unknown): void {
    const who = node === null ? 'the world' : `node "${node.name}" (incarnation ${node.incarnation})`;
    const detail = error instanceof Error ? error.message : String(error);
    const message = `${who} threw while ${what} at virtual time ${this.#now} ms: ${detail}`;
    this.#trace.event(this.#now, 'error', node?.name, 0, message);
    this.#failure ??= new SimError('NODE_FAILED', message, { cause: error });
  }

  /** Time is about to move on: real async work still pending would land at a real-time instant. */
  #realWorkCheck(): void {
    const pending = this.#realWork?.pending();
    if (pending) this.#failure ??= new DeterminismViolationError(`${pending} at virtual time ${this.#now} ms`);
  }

  #check(what: string): void {
    if (this.#disposed) throw new SimError('DISPOSED', `${what}: the simulation was disposed while running`);
    const failure = this.#failure;
    if (failure !== null) {
      this.#failure = null;
      throw failure;
    }
  }

  #livelock(max: number): SimError {
    return new SimError(
      'LIVELOCK',
      `livelock: more than ${max} events at virtual time ${this.#now} ms without time advancing ` +
        '(a zero-delay loop such as a timer or message that reschedules itself at once?)',
    );
  }

  // --- scheduling ---

  /** Round a time up to the resolution; never earlier than now. */
  #at(time: number): number {
    const now = this.#now;
    if (!(time > now)) return now;
    const r = this.#config.resolutionMs;
    return Math.max(Math.ceil(time / r - 1e-9) * r, now);
  }

  #deliverAt(time: number, env: Envelope, node: NodeState): number {
    const t = this.#at(time);
    this.#queue.push(new SimEvent(t, 'deliver', node, node.incarnation, null, env, 0, 0, ''));
    return t;
  }

  #timer(node: NodeState | null, incarnation: number, fn: () => void, ms: number, repeat: boolean): TimerHandle {
    if (typeof fn !== 'function') throw badInput('setTimeout/setInterval: callback must be a function');
    if (!Number.isFinite(ms)) throw badInput(`setTimeout/setInterval: ms must be a finite number, got ${ms}`);
    if (this.#disposed) return NO_TIMER;
    if (node !== null && (!node.alive || node.incarnation !== incarnation)) return NO_TIMER;
    const local = repeat ? Math.max(this.#config.resolutionMs, ms) : Math.max(0, ms);
    const delay = node === null ? local : node.clock.toVirtual(local);
    const event = new SimEvent(
      this.#at(this.#now + delay),
      'timer',
      node,
      incarnation,
      fn,
      null,
      ++this.#timerSeq,
      repeat ? local : 0,
      '',
    );
    event.owner = this.#queue;
    this.#queue.push(event);
    return event;
  }

  #send(node: NodeState, incarnation: number, to: string, payload: unknown, port: string, size: number): void {
    if (this.#disposed) return;
    const trace = this.#trace;
    const target = this.#nodes.get(to);
    const env: Envelope = {
      id: ++this.#messageSeq,
      from: node.name,
      to,
      port,
      payload,
      size,
      fromRef: node.traceRef,
      toRef: target?.traceRef ?? trace.intern(to),
      portRef: trace.intern(port),
    };
    if (!node.alive || node.incarnation !== incarnation) {
      trace.message(this.#now, 'drop', env, false, 'sender-down');
      return;
    }
    trace.message(this.#now, 'send', env, false);
    this.#network.route(env, target ?? null);
  }

  /** Drop at the receiver's end. */
  #drop(env: Envelope, reason: string): void {
    this.#trace.message(this.#now, 'drop', env, true, reason);
  }

  #record(node: NodeState | null, event: CustomRecord): void {
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || event.type === '') {
      throw badInput('record: event must be an object with a non-empty string type');
    }
    if (KERNEL_EVENT_TYPES.has(event.type)) {
      throw badInput(`record: type "${event.type}" is a built-in trace type; choose another name`);
    }
    this.#trace.custom(this.#now, node === null ? 0 : node.traceRef, event);
  }

  #scheduleBoot(node: NodeState): void {
    const ctx = node.context;
    const boot = () => {
      this.#trace.event(this.#now, 'boot', node.name, ctx.incarnation);
      return node.boot(ctx);
    };
    this.#queue.push(new SimEvent(this.#now, 'action', node, node.incarnation, boot, null, 0, 0, ''));
  }

  #crash(node: NodeState): void {
    node.alive = false;
    node.paused = false;
    node.handlers = new Map();
    node.deferred = [];
    node.disk.crash(node.stream('disk'));
    this.#trace.event(this.#now, 'crash', node.name, node.incarnation);
  }

  #makeHost(): NodeHost {
    const sim = this;
    return {
      get now() {
        return sim.#now;
      },
      send: (node, incarnation, to, payload, port, size) => this.#send(node, incarnation, to, payload, port, size),
      timer: (node, incarnation, fn, ms, repeat) => this.#timer(node, incarnation, fn, ms, repeat),
      record: (node, event) => this.#record(node, event),
    };
  }

  // --- lookups ---

  #usable(what: string): void {
    if (this.#disposed) throw new SimError('DISPOSED', `${what}: this simulation was disposed`);
  }

  #node(what: string, name: string): NodeState {
    this.#usable(what);
    const node = this.#nodes.get(name);
    if (node === undefined) throw this.#unknown(what, name);
    return node;
  }

  #unknown(what: string, name: string): SimError {
    const known = [...this.#nodes.keys()].join(', ') || 'none';
    return new SimError('UNKNOWN_NODE', `${what}: unknown node ${JSON.stringify(name)} (known: ${known})`);
  }

  #worldStream(name: string): RandomStream {
    let s = this.#streams.get(name);
    if (s === undefined) this.#streams.set(name, (s = this.#random.fork(name)));
    return s;
  }

  #netApi(): SimNetwork {
    const net = this.#network;
    const name = (what: string, n: string) => {
      this.#usable(`net.${what}`);
      if (n !== '*' && !this.#nodes.has(n)) throw this.#unknown(`net.${what}`, n);
      return n;
    };
    const group = (what: string, names: readonly string[]): NodeMatch => {
      if (!Array.isArray(names) || names.length === 0) {
        throw badInput(`net.${what}: a group must be a non-empty array of node names`);
      }
      for (const n of names) name(what, n);
      return names.includes('*') ? '*' : new Set(names);
    };
    const trace = this.#trace;
    return {
      latency: (from, to, dist: LatencyDistribution) =>
        net.setLatency(name('latency', from), name('latency', to), dist),
      loss: (from, to, p) => net.setLoss(name('loss', from), name('loss', to), p),
      duplicate: (from, to, p) => net.setDuplicate(name('duplicate', from), name('duplicate', to), p),
      reorder: (from, to, p, windowMs = DEFAULT_REORDER_WINDOW_MS) =>
        net.setReorder(name('reorder', from), name('reorder', to), p, windowMs),
      bandwidth: (from, to, bps) => net.setBandwidth(name('bandwidth', from), name('bandwidth', to), bps),
      partition: (a, b) => {
        const ga = group('partition', a);
        const gb = group('partition', b);
        net.table.cut(ga, gb);
        net.table.cut(gb, ga);
        trace.event(this.#now, 'partition', undefined, 0, 'symmetric', { from: [...a], to: [...b] });
      },
      partitionOneWay: (from, to) => {
        net.table.cut(group('partitionOneWay', from), group('partitionOneWay', to));
        trace.event(this.#now, 'partition', undefined, 0, 'one-way', { from: [...from], to: [...to] });
      },
      isolate: (n) => {
        const set = new Set([name('isolate', n)]);
        net.table.cut(set, '*');
        net.table.cut('*', set);
        trace.event(this.#now, 'partition', n, 0, 'isolate', { from: [n], to: ['*'] });
      },
      heal: () => {
        this.#usable('net.heal');
        net.table.healAll();
        trace.event(this.#now, 'heal', undefined);
      },
      hold: (from, to) => {
        net.table.hold(name('hold', from), name('hold', to));
        trace.event(this.#now, 'hold', undefined, 0, '', { from, to });
      },
      release: (from, to) => {
        net.table.release(name('release', from), name('release', to));
        trace.event(this.#now, 'release', undefined, 0, '', { from, to });
        net.flushHeld();
      },
      rule: (rule: FaultRule) => {
        this.#usable('net.rule');
        return net.addRule(rule);
      },
      linkState: (from, to) => net.linkState(name('linkState', from), name('linkState', to)),
    };
  }
}
