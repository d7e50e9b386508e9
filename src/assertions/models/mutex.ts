/**
 * `mutex`: a lock per key whose every grant carries a fencing token. `acquire` returns the
 * token (which must exceed every token granted before); `release` (input: the token, or
 * null) frees it and must come from the holder. A failed acquire ("not acquired") had no
 * effect. An unknown acquire may have granted the lock to its process; its token is unknown,
 * so later tokens are only required to exceed the last known one. This model has no lease
 * expiry: with TTL locks, record the expiry as a `release` by the holder.
 */
import type { Operation, ProcessId } from '../history.js';
import type { Model } from './model.js';

export interface LockState {
  readonly holder: ProcessId | null;
  /** The highest fencing token known to have been granted (0 before any). */
  readonly token: number;
}

const tokenOf = (op: Operation): number | null => {
  const t = op.output;
  if (t === null || t === undefined) return null;
  if (typeof t !== 'number')
    throw new TypeError(`mutex: acquire must return a numeric fencing token, got ${String(t)}`);
  return t;
};

export const mutex: Model<LockState> = {
  name: 'mutex',
  init: () => ({ holder: null, token: 0 }),
  partition: (op) => op.key ?? '',
  step(state, op) {
    switch (op.f) {
      case 'acquire': {
        if (state.holder !== null) return undefined;
        if (op.status === 'unknown') return { holder: op.process, token: state.token };
        const token = tokenOf(op);
        if (token === null) return { holder: op.process, token: state.token };
        return token > state.token ? { holder: op.process, token } : undefined;
      }
      case 'release': {
        if (state.holder !== op.process) return op.status === 'unknown' ? state : undefined;
        // Releasing with a token older than the newest grant: the releaser was fenced off.
        if (op.status === 'ok' && typeof op.input === 'number' && op.input < state.token) return undefined;
        return { holder: null, token: state.token };
      }
      default:
        throw new TypeError(`mutex: unknown operation "${op.f}" (expected acquire or release)`);
    }
  },
  equal: (a, b) => a.holder === b.holder && a.token === b.token,
  describeState: (s) =>
    s.holder === null ? `free (last token ${s.token})` : `held by ${String(s.holder)} (token ${s.token})`,
};
