/**
 * Trace-triggered faults: `on orders-1 store.write crash orders-1` fires when the store accepts a
 * write from orders-1 — i.e. while orders-1 is between its store write and whatever it does next —
 * and `after 3 publishes on payments-1 …` at the third publish payments-1 made. The fakes' records
 * are watched as they happen (`fakes/record-hooks.ts`); the fault is scheduled for the same
 * instant, right after the event that made the record.
 */
import { type ObservedRecord, onFakeRecord } from '../fakes/record-hooks.js';
import type { Sim } from '../sim/types.js';
import type { FaultTrigger } from './faults.js';
import type { BuiltSystem } from './system.js';

/** Plural and short names people write for record types. */
export const RECORD_ALIASES: Readonly<Record<string, readonly string[]>> = {
  write: ['store.write'],
  writes: ['store.write'],
  delete: ['store.delete'],
  deletes: ['store.delete'],
  publish: ['broker.publish', 'events.publish'],
  publishes: ['broker.publish', 'events.publish'],
  grant: ['sync.grant'],
  grants: ['sync.grant'],
  ack: ['broker.ack', 'events.ack'],
  acks: ['broker.ack', 'events.ack'],
};

/** Which fields of a record name the node it is about (besides the node it was recorded on). */
const ACTOR_FIELDS = ['writer', 'from', 'holder', 'candidate', 'subscriber'] as const;

export function matchesTrigger(record: ObservedRecord, types: readonly string[], nodes: ReadonlySet<string>): boolean {
  if (!types.includes(record.type)) return false;
  if (nodes.has(record.node)) return true;
  return ACTOR_FIELDS.some((field) => typeof record[field] === 'string' && nodes.has(record[field] as string));
}

/**
 * Arm `trigger` from virtual time `armAt`: call `fire` (scheduled at the record's instant) at the
 * `count`-th matching record, once.
 */
export function armTrigger(
  sim: Sim,
  system: BuiltSystem,
  trigger: FaultTrigger,
  armAt: number,
  fire: () => void,
): void {
  const types = RECORD_ALIASES[trigger.record] ?? [trigger.record];
  const nodes = new Set(system.services[trigger.node] ?? [trigger.node]);
  const count = trigger.count ?? 1;
  let seen = 0;
  const stop = onFakeRecord(sim, (record) => {
    if (record.time < armAt || !matchesTrigger(record, types, nodes)) return;
    if (++seen < count) return;
    stop();
    sim.schedule(sim.now, fire, `trigger ${trigger.record} on ${trigger.node}`);
  });
}
