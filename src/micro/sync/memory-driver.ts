/**
 * The in-process lock service: a {@link LockDriver} over a map, with leases that expire on the
 * given runtime's clock and FIFO waiters. The sim fake hosts this very driver on its lock node,
 * so the service's clock there is the lock node's clock.
 */
import type { Runtime, TimerHandle } from '../runtime.js';
import type { LockDriver } from './types.js';

/** What the lock service did, for traces and invariants (the fake records these). */
export type LockServiceEvent =
  | {
      readonly type: 'sync.grant';
      readonly name: string;
      readonly holder: string;
      readonly token: number;
      readonly ttlMs: number;
    }
  | {
      readonly type: 'sync.refresh';
      readonly name: string;
      readonly holder: string;
      readonly token: number;
      readonly ttlMs: number;
    }
  | { readonly type: 'sync.release'; readonly name: string; readonly holder: string; readonly token: number }
  | { readonly type: 'sync.expire'; readonly name: string; readonly holder: string; readonly token: number };

interface Grant {
  readonly holder: string;
  readonly token: number;
  timer: TimerHandle;
}

interface Waiter {
  readonly holder: string;
  readonly ttlMs: number;
  readonly arrivedAt: number;
  readonly timer: TimerHandle;
  readonly grant: (token: number, waitedMs: number) => void;
  readonly giveUp: () => void;
}

/** Where the last fencing token of each name is kept, so tokens keep rising across a restart. */
export interface TokenStore {
  load(name: string): number | undefined;
  save(name: string, token: number): void;
}

export interface MemoryLockDriverOptions {
  /** Called for every grant, refresh, release and expiry. Default: nothing. */
  readonly onEvent?: (event: LockServiceEvent) => void;
  /** Durable home of the fencing tokens. Default: this driver's memory. */
  readonly tokens?: TokenStore;
}

export function memoryLockDriver(runtime: Runtime, options: MemoryLockDriverOptions = {}): LockDriver {
  const emit = options.onEvent ?? (() => {});
  const grants = new Map<string, Grant>();
  const inMemory = new Map<string, number>();
  const tokens: TokenStore = options.tokens ?? {
    load: (name) => inMemory.get(name),
    save: (name, token) => void inMemory.set(name, token),
  };
  const waiters = new Map<string, Waiter[]>();

  const grant = (name: string, holder: string, ttlMs: number): number => {
    const token = (tokens.load(name) ?? 0) + 1;
    tokens.save(name, token);
    grants.set(name, { holder, token, timer: expireAfter(name, token, ttlMs) });
    emit({ type: 'sync.grant', name, holder, token, ttlMs });
    return token;
  };

  const expireAfter = (name: string, token: number, ttlMs: number) =>
    runtime.timers.setTimeout(() => {
      const current = grants.get(name);
      if (current?.token !== token) return;
      emit({ type: 'sync.expire', name, holder: current.holder, token });
      free(name);
    }, ttlMs);

  /** The name became free: hand it to the longest waiter, if any. */
  const free = (name: string) => {
    grants.delete(name);
    const queue = waiters.get(name);
    const next = queue?.shift();
    if (queue?.length === 0) waiters.delete(name);
    if (!next) return;
    next.timer.cancel();
    next.grant(grant(name, next.holder, next.ttlMs), runtime.clock.now() - next.arrivedAt);
  };

  return {
    async acquire({ name, holder, ttlMs, waitMs }) {
      if (!grants.has(name)) return { type: 'acquired', token: grant(name, holder, ttlMs), waitedMs: 0 };
      if (waitMs <= 0) return { type: 'timeout' };
      return new Promise((resolve) => {
        const queue = waiters.get(name) ?? [];
        waiters.set(name, queue);
        const waiter: Waiter = {
          holder,
          ttlMs,
          arrivedAt: runtime.clock.now(),
          timer: runtime.timers.setTimeout(() => {
            queue.splice(queue.indexOf(waiter), 1);
            if (queue.length === 0 && waiters.get(name) === queue) waiters.delete(name);
            resolve({ type: 'timeout' });
          }, waitMs),
          grant: (token, waitedMs) => resolve({ type: 'acquired', token, waitedMs }),
          giveUp: () => resolve({ type: 'timeout' }),
        };
        queue.push(waiter);
      });
    },
    async refresh(name, token, ttlMs) {
      const current = grants.get(name);
      if (current?.token !== token) return false;
      current.timer.cancel();
      current.timer = expireAfter(name, token, ttlMs);
      emit({ type: 'sync.refresh', name, holder: current.holder, token, ttlMs });
      return true;
    },
    async release(name, token) {
      const current = grants.get(name);
      if (current?.token !== token) return;
      current.timer.cancel();
      emit({ type: 'sync.release', name, holder: current.holder, token });
      free(name);
    },
    async holder(name) {
      const current = grants.get(name);
      return current && { holder: current.holder, token: current.token };
    },
    async close() {
      for (const g of grants.values()) g.timer.cancel();
      for (const queue of waiters.values())
        for (const w of queue) {
          w.timer.cancel();
          w.giveUp();
        }
      waiters.clear();
    },
  };
}
