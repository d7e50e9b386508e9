/**
 * Generated histories for tests and benchmarks: a sequential execution of a register or a
 * key-value map, observed by concurrent clients. Each operation is invoked, takes effect at
 * some later moment, and completes later still, so concurrency windows overlap at random but
 * the history is linearizable by construction. Some operations end `unknown` (a timeout):
 * half of those took effect, half never did. Randomness comes from a seed, never from
 * `Math.random`.
 */
import type { HistoryEvent } from './history.js';

export interface GenerateOptions {
  /** `register`: read/write/cas over values 0–4; `kv`: get/put/append. Default: 'kv'. */
  readonly kind?: 'register' | 'kv';
  /** Completed operations to generate. Default: 1000. */
  readonly operations?: number;
  /** Concurrent clients. Default: 5. */
  readonly processes?: number;
  /** Keys (operations pick one at random). Default: 1 (a register has no key when 1). */
  readonly keys?: number;
  /** Chance that an operation ends unknown. Default: 0.02. */
  readonly unknownRate?: number;
  /** Default: 1. */
  readonly seed?: number;
}

/** mulberry32: a small, good 32-bit generator; deterministic from the seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface InFlight {
  readonly process: number;
  readonly f: string;
  readonly key: string | undefined;
  readonly input: unknown;
  applied: boolean;
  output: unknown;
  ok: boolean;
}

export function generateHistory(options: GenerateOptions = {}): HistoryEvent[] {
  const kind = options.kind ?? 'kv';
  const total = options.operations ?? 1000;
  const processes = options.processes ?? 5;
  const keys = options.keys ?? 1;
  const unknownRate = options.unknownRate ?? 0.02;
  const random = seededRandom(options.seed ?? 1);
  const pick = (n: number) => Math.floor(random() * n);

  const state = new Map<string, unknown>();
  const events: HistoryEvent[] = [];
  const running = new Map<number, InFlight>();
  const idle: number[] = Array.from({ length: processes }, (_, i) => i);
  let nextProcess = processes;
  let invoked = 0;
  let done = 0;

  const emit = (type: HistoryEvent['type'], op: InFlight, value: unknown) => {
    const event =
      op.key === undefined
        ? { type, process: op.process, f: op.f, value }
        : { type, process: op.process, f: op.f, key: op.key, value };
    events.push(event);
  };

  const invoke = () => {
    const process = idle.splice(pick(idle.length), 1)[0] as number;
    const key = keys > 1 || kind === 'kv' ? String(pick(keys)) : undefined;
    const roll = random();
    let f: string;
    let input: unknown;
    if (kind === 'register') {
      if (roll < 0.4) [f, input] = ['read', null];
      else if (roll < 0.7) [f, input] = ['write', pick(5)];
      else [f, input] = ['cas', [pick(5), pick(5)]];
    } else if (roll < 0.4) [f, input] = ['get', null];
    else if (roll < 0.5) [f, input] = ['put', `p${invoked}`];
    else [f, input] = ['append', `a${invoked} `];
    const op: InFlight = { process, f, key, input, applied: false, output: null, ok: true };
    running.set(process, op);
    invoked++;
    emit('invoke', op, input);
  };

  const apply = (op: InFlight) => {
    const k = op.key ?? '';
    const current = state.get(k) ?? (kind === 'kv' ? '' : null);
    op.applied = true;
    switch (op.f) {
      case 'read':
      case 'get':
        op.output = current;
        return;
      case 'write':
      case 'put':
        state.set(k, op.input);
        op.output = op.input;
        return;
      case 'append':
        state.set(k, `${current as string}${op.input as string}`);
        op.output = op.input;
        return;
      case 'cas': {
        const [from, to] = op.input as [number, number];
        op.ok = current === from;
        if (op.ok) state.set(k, to);
        op.output = op.input;
        return;
      }
    }
  };

  while (done < total) {
    const ops = [...running.values()];
    const roll = random();
    if (idle.length > 0 && invoked < total && (ops.length === 0 || roll < 0.35)) {
      invoke();
      continue;
    }
    const op = ops[pick(ops.length)] as InFlight;
    if (!op.applied && random() < 0.7) {
      apply(op);
      continue;
    }
    running.delete(op.process);
    done++;
    if (random() < unknownRate) {
      if (!op.applied && random() < 0.5) apply(op);
      emit('unknown', op, null);
      idle.push(nextProcess++); // Jepsen: a crashed client comes back as a new process
      continue;
    }
    if (!op.applied) apply(op);
    emit(op.ok ? 'ok' : 'fail', op, op.output);
    idle.push(op.process);
  }
  return events;
}

/**
 * The same history with one successful read changed to a value nothing ever wrote — a
 * history that cannot be linearizable. Undefined when it has no successful read.
 */
export function corruptOneRead(history: readonly HistoryEvent[], seed = 1): HistoryEvent[] | undefined {
  const reads = history.flatMap((e, i) => (e.type === 'ok' && (e.f === 'read' || e.f === 'get') ? [i] : []));
  if (reads.length === 0) return undefined;
  const at = reads[Math.floor(seededRandom(seed)() * reads.length)] as number;
  const target = history[at] as HistoryEvent;
  const copy = [...history];
  copy[at] = { ...target, value: typeof target.value === 'string' || target.f === 'get' ? 'never-written' : 1_000_003 };
  return copy;
}
