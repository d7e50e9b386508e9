/** createSim options: partial in, total config out, validated eagerly. */
import { badInput, checkNumber } from './errors.js';
import { DEFAULT_TRACE_WINDOW } from './trace.js';

export const DEFAULT_RESOLUTION_MS = 1;
/** The epoch milliseconds that virtual time 0 maps to (2023-11-14T22:13:20Z). */
export const DEFAULT_START_TIME = 1_700_000_000_000;
export const DEFAULT_MAX_EVENTS_PER_INSTANT = 100_000;
/** Microtask turns granted after each event inside an instant (a full drain happens per instant). */
export const DEFAULT_MICROTASK_TURNS = 1;
/** Virtual time `runUntil`, `settle` and an awaited `exec` may use before they reject. */
export const DEFAULT_RUN_LIMIT_MS = 600_000;

export interface SimOptions {
  /** Root seed; every random decision derives from it. Required. */
  readonly seed: number | string;
  /** Virtual time resolution: event times round up to a multiple of it. Default: 1 ms. */
  readonly resolutionMs?: number;
  /** Epoch ms that virtual t=0 maps to for clocks and Date. Default: DEFAULT_START_TIME. */
  readonly startTime?: number;
  /** Keep trace records (the hash is always kept). Default: true. */
  readonly trace?: boolean;
  /**
   * How many of the most recent message, timer and action records `sim.trace` keeps (older ones
   * leave it, so a long run stays flat; the hash still covers them, and lifecycle, fault, error
   * and custom records are all kept). Default: DEFAULT_TRACE_WINDOW (262,144).
   */
  readonly traceWindow?: number;
  /**
   * Keep custom records (`ctx.record`, `sim.record`) in `sim.trace`; they are hashed either way.
   * A long run whose checks read none of them passes false and stays flat. Default: true.
   */
  readonly traceCustom?: boolean;
  /**
   * Livelock guard: more events than this at one instant, beyond those queued for it before it
   * began, stops the run. Default: 100_000.
   */
  readonly maxEventsPerInstant?: number;
  /**
   * Microtask turns after each event within an instant (each `await` of a resolved promise in
   * service code takes one). More turns let async handlers get further before the next event of
   * the same instant; the full drain at the end of the instant happens regardless. Each turn
   * costs about a fifth of the kernel's throughput on the ping-pong bench. Default: 1.
   */
  readonly microtaskTurns?: number;
  /** Virtualise the global timers, Date, performance.now, Math.random, crypto.randomUUID while running. Default: true. */
  readonly virtualiseGlobals?: boolean;
  /**
   * Real sockets and fetch inside a run: 'forbid' throws a DeterminismViolationError and fails the
   * run; 'allow' is the one escape hatch (the run then no longer replays). Default: 'forbid'.
   */
  readonly realIO?: 'forbid' | 'allow';
}

export interface SimConfig {
  readonly seed: string;
  readonly resolutionMs: number;
  readonly startTime: number;
  readonly trace: boolean;
  readonly traceWindow: number;
  readonly traceCustom: boolean;
  readonly maxEventsPerInstant: number;
  readonly microtaskTurns: number;
  readonly virtualiseGlobals: boolean;
  readonly realIO: 'forbid' | 'allow';
}

export function resolveSimOptions(options: SimOptions): SimConfig {
  if (typeof options !== 'object' || options === null) throw badInput('createSim: options must be an object');
  const { seed } = options;
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
    throw badInput(`createSim: seed must be a finite number or a string, got ${String(seed)}`);
  }
  const resolutionMs = checkNumber('createSim: resolutionMs', options.resolutionMs ?? DEFAULT_RESOLUTION_MS, 0);
  if (resolutionMs === 0) throw badInput('createSim: resolutionMs must be > 0, got 0');
  const maxEvents = options.maxEventsPerInstant ?? DEFAULT_MAX_EVENTS_PER_INSTANT;
  const turns = options.microtaskTurns ?? DEFAULT_MICROTASK_TURNS;
  if (!Number.isInteger(maxEvents) || maxEvents < 1) {
    throw badInput(`createSim: maxEventsPerInstant must be a positive integer, got ${String(maxEvents)}`);
  }
  if (!Number.isInteger(turns) || turns < 0) {
    throw badInput(`createSim: microtaskTurns must be an integer >= 0, got ${String(turns)}`);
  }
  const traceWindow = options.traceWindow ?? DEFAULT_TRACE_WINDOW;
  if (!Number.isInteger(traceWindow) || traceWindow < 1) {
    throw badInput(`createSim: traceWindow must be a positive integer, got ${String(traceWindow)}`);
  }
  const realIO = options.realIO ?? 'forbid';
  if (realIO !== 'forbid' && realIO !== 'allow') {
    throw badInput(`createSim: realIO must be 'forbid' or 'allow', got ${String(realIO)}`);
  }
  return {
    realIO,
    seed: String(seed),
    resolutionMs,
    startTime: checkNumber('createSim: startTime', options.startTime ?? DEFAULT_START_TIME, 0),
    trace: options.trace ?? true,
    traceWindow,
    traceCustom: options.traceCustom ?? true,
    maxEventsPerInstant: maxEvents,
    microtaskTurns: turns,
    virtualiseGlobals: options.virtualiseGlobals ?? true,
  };
}
