/**
 * Replica lag as a fault: `lag store by 500ms for 3s`. While a lag window is open, every change
 * the primary accepts is logged with the entry it replaced, and reads are answered from the
 * state as it was `lagMs` ago — a replica that applies each write `lagMs` after it happened.
 * Writes made before the window opened were applied already; when the window closes the
 * replica has caught up at once. No timers: a read rewinds the log on demand.
 */
import type { Clock } from '../micro/runtime.js';
import type { DriverEntry, StoreDriver, StoreScope } from '../micro/store/types.js';

interface Change {
  readonly scope: string;
  readonly key: string;
  /** The entry the change replaced (undefined: the key did not exist). */
  readonly prior: DriverEntry | undefined;
  readonly at: number;
}

export interface LagControl {
  /** Serve reads `lagMs` behind from now until `untilMs` (a virtual time on the store's clock). */
  lag(lagMs: number, untilMs: number): void;
  /** End the lag now. */
  catchUp(): void;
}

const scopeKey = (scope: StoreScope) => `${scope.database}\u0000${scope.table}`;

/** Wrap `primary` so its writes are logged, and `reads` (the read side) so it can be rewound. */
export function lagWindow(primary: StoreDriver, reads: StoreDriver, clock: Clock) {
  let lagMs = 0;
  let until = Number.NEGATIVE_INFINITY;
  let log: Change[] = [];
  const active = () => clock.now() < until;
  const note = async (scope: StoreScope, key: string) => {
    if (active()) log.push({ scope: scopeKey(scope), key, prior: await primary.get(scope, key), at: clock.now() });
    else if (log.length > 0) log = [];
  };
  /** Whether a change must be noted (most of a run has no lag window: no extra await then). */
  const noting = () => active() || log.length > 0;
  /** Changes to `scope` the replica has not applied yet, newest first. */
  const unapplied = (scope: StoreScope) => {
    const cutoff = clock.now() - lagMs;
    const id = scopeKey(scope);
    return log.filter((c) => c.scope === id && c.at > cutoff).reverse();
  };

  const writes: StoreDriver = {
    name: primary.name,
    get: (scope, key) => primary.get(scope, key),
    scan: (scope, prefix) => primary.scan(scope, prefix),
    async put(scope, entry, ifRevision) {
      if (noting()) await note(scope, entry.key);
      return primary.put(scope, entry, ifRevision);
    },
    async delete(scope, key, ifRevision) {
      if (noting()) await note(scope, key);
      return primary.delete(scope, key, ifRevision);
    },
    close: () => primary.close(),
  };

  const lagged: StoreDriver = {
    name: `${reads.name}-lagged`,
    async get(scope, key) {
      if (!active()) return reads.get(scope, key);
      let entry = await reads.get(scope, key);
      for (const change of unapplied(scope)) if (change.key === key) entry = change.prior;
      return entry;
    },
    async *scan(scope, prefix) {
      if (!active()) {
        yield* reads.scan(scope, prefix);
        return;
      }
      const view = new Map<string, DriverEntry | undefined>();
      for await (const entry of reads.scan(scope, prefix)) view.set(entry.key, entry);
      for (const change of unapplied(scope)) if (change.key.startsWith(prefix)) view.set(change.key, change.prior);
      for (const key of [...view.keys()].sort()) {
        const entry = view.get(key);
        if (entry !== undefined) yield entry;
      }
    },
    put: (scope, entry, ifRevision) => writes.put(scope, entry, ifRevision),
    delete: (scope, key, ifRevision) => writes.delete(scope, key, ifRevision),
    close: () => reads.close(),
  };

  const control: LagControl = {
    lag(ms, untilMs) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`lag: expected a non-negative ms, got ${ms}`);
      lagMs = ms;
      until = untilMs;
    },
    catchUp() {
      until = Number.NEGATIVE_INFINITY;
      log = [];
    },
  };
  return { writes, reads: lagged, control };
}
