/**
 * Adapters from a client history to the events and operations the checks read, for any
 * kv-like system: operations named `get`/`read` read a key, `put`/`write`/`set` write the
 * invoke's value, `cas` swaps `[from, to]`. Other operations (`checkout`) are left out.
 */
import { type History, type Operation, toOperations } from '../history.js';
import type { FinalRead, WriteAcknowledged } from '../invariants/lost-writes.js';
import { valueEquals } from '../models/model.js';

export const READ_OPS: ReadonlySet<string> = new Set(['get', 'read']);
export const WRITE_OPS: ReadonlySet<string> = new Set(['put', 'write', 'set']);

/** The history's kv operations in the register model's vocabulary (`read`, `write`, `cas`). */
export function registerOperations(history: History): Operation[] {
  return toOperations(history).flatMap((op): Operation[] => {
    if (READ_OPS.has(op.f)) return [{ ...op, f: 'read', output: op.output ?? null }];
    if (WRITE_OPS.has(op.f)) return [{ ...op, f: 'write' }];
    if (op.f === 'cas') return [op];
    return [];
  });
}

const before = (a: Operation, b: Operation) =>
  a.end !== undefined && b.start !== undefined && a.status !== 'unknown' && a.end < b.start;

/**
 * Acknowledged writes and final reads, register semantics: per key, the acknowledged writes no
 * other acknowledged write follows (the latest), and the last successful read that began after
 * they all ended. A final read holding a value some write may legitimately have left (one of the
 * latest, or one not finished before them) confirms them all; any other value loses them. Keys
 * without such a final read are left out: nothing can be confirmed or refuted. A final read
 * returning a list (a set or log) must hold every acknowledged write.
 */
export function lostWriteEvents(history: History): (WriteAcknowledged | FinalRead)[] {
  const ops = registerOperations(history);
  const byKey = new Map<string, Operation[]>();
  for (const op of ops) {
    const key = op.key ?? '';
    let list = byKey.get(key);
    if (list === undefined) byKey.set(key, (list = []));
    list.push(op);
  }
  const events: (WriteAcknowledged | FinalRead)[] = [];
  for (const [key, list] of byKey) {
    const writes = list.filter((op) => op.f === 'write' && op.status !== 'fail');
    const acked = writes.filter((op) => op.status === 'ok');
    const latest = acked.filter((w) => !acked.some((other) => before(w, other)));
    if (latest.length === 0) continue;
    const settled = Math.max(...latest.map((w) => w.end ?? Number.POSITIVE_INFINITY));
    const final = list.filter((op) => op.f === 'read' && op.status === 'ok' && (op.start ?? -1) > settled).at(-1);
    if (final === undefined) continue;
    const legitimate = writes.filter((w) => !latest.some((l) => before(w, l))).map((w) => w.input);
    const value = final.output;
    const values = Array.isArray(value)
      ? value
      : legitimate.some((v) => valueEquals(v, value))
        ? [value, ...latest.map((w) => w.input)]
        : [value];
    for (const w of Array.isArray(value) ? acked : latest) events.push({ type: 'write-acknowledged', time: w.end ?? 0, key, value: w.input });
    events.push({ type: 'final-read', time: final.end ?? final.start ?? 0, key, values });
  }
  return events;
}
