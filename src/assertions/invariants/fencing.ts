/**
 * Leadership and fencing: at most one leader per fencing epoch, and no write accepted with a
 * stale fencing token (a token lower than one the resource already accepted).
 */
import { OK, ofType, type StructuredEvent, type TraceInvariant, violated } from './types.js';

/** A node became leader (or was granted a lock) for `resource`; `epoch` is the grant's fencing token. */
export interface LeaderElected extends StructuredEvent {
  readonly type: 'leader-elected';
  readonly node: string;
  readonly epoch: number;
  /** The election or lock name. Default: "". */
  readonly resource?: string;
}

/** A storage or service accepted a write carrying a fencing token. */
export interface WriteAccepted extends StructuredEvent {
  readonly type: 'write-accepted';
  readonly resource: string;
  readonly token: number;
  /** Who wrote, for the message. */
  readonly node?: string;
}

/** Two different nodes elected for the same (resource, epoch) is a violation. */
export function atMostOneLeaderPerEpoch(): TraceInvariant {
  const name = 'at most one leader per epoch';
  return {
    name,
    check(events) {
      const first = new Map<string, LeaderElected>();
      for (const e of ofType<LeaderElected>(events, 'leader-elected')) {
        const key = `${e.resource ?? ''}\u0000${e.epoch}`;
        const prior = first.get(key);
        if (!prior) first.set(key, e);
        else if (prior.node !== e.node) {
          const where = e.resource ? ` of ${e.resource}` : '';
          return violated(
            name,
            `epoch ${e.epoch}${where} has two leaders: ${prior.node} (t=${prior.time}) and ${e.node} (t=${e.time})`,
            [prior, e],
          );
        }
      }
      return OK;
    },
  };
}

/** Each resource must accept tokens that never go down. */
export function noStaleFencedWrites(): TraceInvariant {
  const name = 'no write accepted with a stale fencing token';
  return {
    name,
    check(events) {
      const highest = new Map<string, WriteAccepted>();
      for (const e of ofType<WriteAccepted>(events, 'write-accepted')) {
        const top = highest.get(e.resource);
        if (top && e.token < top.token) {
          const who = e.node ? ` from ${e.node}` : '';
          return violated(
            name,
            `${e.resource} accepted token ${e.token}${who} at t=${e.time} after it had accepted token ${top.token} at t=${top.time}`,
            [top, e],
          );
        }
        if (!top || e.token > top.token) highest.set(e.resource, e);
      }
      return OK;
    },
  };
}
