/**
 * No acknowledged write lost: every write a client saw acknowledged is present when the data
 * is read at the end. For stores where writes accumulate (sets, logs, streams, append-only
 * tables): the final read of a key lists every value it holds.
 */
import { OK, ofType, type StructuredEvent, type TraceInvariant, violated } from './types.js';

/** The store acknowledged writing `value` under `key`. */
export interface WriteAcknowledged extends StructuredEvent {
  readonly type: 'write-acknowledged';
  readonly key: string;
  readonly value: unknown;
}

/** What a key holds at the end of the run (after faults healed). */
export interface FinalRead extends StructuredEvent {
  readonly type: 'final-read';
  readonly key: string;
  readonly values: readonly unknown[];
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

export function noAcknowledgedWriteLost(): TraceInvariant {
  const name = 'no acknowledged write lost';
  return {
    name,
    check(events) {
      const finals = new Map(ofType<FinalRead>(events, 'final-read').map((r) => [r.key, r]));
      const lost: StructuredEvent[] = [];
      const unread = new Set<string>();
      for (const w of ofType<WriteAcknowledged>(events, 'write-acknowledged')) {
        const final = finals.get(w.key);
        if (!final) unread.add(w.key);
        else if (!final.values.some((v) => same(v, w.value))) lost.push(w);
      }
      if (unread.size > 0) {
        return violated(
          name,
          `no final read for key(s) ${[...unread].join(', ')}: cannot confirm their acknowledged writes`,
          [],
        );
      }
      if (lost.length === 0) return OK;
      const shown = lost
        .slice(0, 5)
        .map(
          (w) =>
            `${JSON.stringify((w as WriteAcknowledged).value)} → ${(w as WriteAcknowledged).key} (acknowledged t=${w.time})`,
        );
      return violated(name, `${lost.length} acknowledged write(s) lost: ${shown.join('; ')}`, lost);
    },
  };
}
