/**
 * The fakes' trace records, observable while a world runs: each infrastructure fake records
 * through {@link recordOn}, which adds the record to the trace (`ctx.record`) and hands it to the
 * world's listeners — what trace-triggered faults (`on orders-1 store.write crash orders-1`)
 * wait on. Listeners run synchronously inside the event that made the record; they must not
 * throw, and should only schedule (never run) what they do about it.
 */
import type { NodeContext, Sim } from '../sim/index.js';

/** A record as a listener sees it: its fields plus the node and virtual time it was made at. */
export interface ObservedRecord {
  readonly type: string;
  readonly node: string;
  readonly time: number;
  readonly [field: string]: unknown;
}

const listeners = new WeakMap<Sim, Set<(record: ObservedRecord) => void>>();

/** Listen to the fakes' records in `sim`; returns the function that stops listening. */
export function onFakeRecord(sim: Sim, listener: (record: ObservedRecord) => void): () => void {
  let set = listeners.get(sim);
  if (set === undefined) listeners.set(sim, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Record `event` on the node of `ctx` in `sim`, and tell the world's listeners. */
export function recordOn(
  sim: Sim,
  ctx: NodeContext,
  event: { readonly type: string; readonly [key: string]: unknown },
) {
  ctx.record(event);
  const set = listeners.get(sim);
  if (set === undefined || set.size === 0) return;
  const observed = { ...event, node: ctx.name, time: sim.now };
  for (const listener of [...set]) listener(observed);
}
