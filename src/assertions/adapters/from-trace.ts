/**
 * Adapters from the fakes' trace records to the events the invariants read. Records are plain
 * objects (`{ type, time, node, …fields }`), so this depends on nothing but their documented
 * shapes (see the fakes: store, broker, events, sync):
 *
 * | record (node it is recorded on) | becomes |
 * | --- | --- |
 * | `sync.grant` (lock node) {name, holder, token} | `leader-elected` {node: holder, epoch: token, resource: name} |
 * | `sync.elected` (candidate) {election, candidate, token} | `leader-elected` {resource: `election/<election>`} |
 * | `store.write` (store node) {database, table, key, token, writer} with a token | `write-accepted` {resource: `<database>/<table>/<key>`} |
 * | `broker.publish` / `events.publish` (broker / events node) | `message-published` {id: `<topic>/<id>`} |
 * | `broker.received` / `events.received` (consumer's node) | `message-delivered` {consumer: node, group} |
 * | `broker.ack` / `events.ack` {group, id} (opt-in) | `effect-applied` {id: `<group>/<topic>/<id>`}: a message handled to completion |
 * | `effect` (any node) {id} | `effect-applied` {id}: a side effect a system records itself |
 */
import type { EffectApplied, MessageDelivered, MessagePublished } from '../invariants/delivery.js';
import type { LeaderElected, WriteAccepted } from '../invariants/fencing.js';

/** What the adapters read of a trace record. */
export interface TraceRecord {
  readonly type: string;
  readonly time: number;
  readonly node?: string;
  readonly [field: string]: unknown;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** Lock grants and elections as leader terms: one per (resource, fencing token). */
export function leaderTerms(trace: readonly TraceRecord[]): LeaderElected[] {
  const terms: LeaderElected[] = [];
  for (const r of trace) {
    if (r.type === 'sync.grant')
      terms.push({
        type: 'leader-elected',
        time: r.time,
        node: text(r.holder),
        epoch: Number(r.token),
        resource: text(r.name),
      });
    else if (r.type === 'sync.elected')
      terms.push({
        type: 'leader-elected',
        time: r.time,
        node: text(r.candidate ?? r.node),
        epoch: Number(r.token),
        resource: `election/${text(r.election)}`,
      });
  }
  return terms;
}

/** Writes the store accepted under a fencing token, per record. */
export function fencedWrites(trace: readonly TraceRecord[]): WriteAccepted[] {
  const writes: WriteAccepted[] = [];
  for (const r of trace)
    if (r.type === 'store.write' && typeof r.token === 'number')
      writes.push({
        type: 'write-accepted',
        time: r.time,
        resource: `${text(r.database)}/${text(r.table)}/${text(r.key)}`,
        token: r.token,
        node: text(r.writer),
      });
  return writes;
}

const messageId = (r: TraceRecord) => `${text(r.topic ?? r.stream)}/${text(r.id)}`;

/**
 * Publishes (where the broker accepted them) and deliveries (where the consumer received them:
 * a delivery the broker sent into a partition was not delivered).
 */
export function messageFlow(trace: readonly TraceRecord[]): (MessagePublished | MessageDelivered)[] {
  const flow: (MessagePublished | MessageDelivered)[] = [];
  for (const r of trace) {
    if (r.type === 'broker.publish' || r.type === 'events.publish')
      flow.push({
        type: 'message-published',
        time: r.time,
        id: messageId(r),
        topic: text(r.topic ?? r.stream),
      });
    else if (r.type === 'broker.received' || r.type === 'events.received')
      flow.push({
        type: 'message-delivered',
        time: r.time,
        id: messageId(r),
        consumer: text(r.node),
        group: text(r.group),
      });
  }
  return flow;
}

/**
 * Effects: a system's own `effect` records, and — with `acks` — every message a consumer group
 * acknowledged (handled to completion), keyed by group, so a message a group handled twice is an
 * effect applied twice (wrong for handlers that deduplicate and ack again: hence opt-in).
 */
export function effects(trace: readonly TraceRecord[], options: { readonly acks?: boolean } = {}): EffectApplied[] {
  const acks = options.acks ?? false;
  const applied: EffectApplied[] = [];
  for (const r of trace) {
    if (r.type === 'effect') applied.push({ type: 'effect-applied', time: r.time, id: text(r.id) });
    else if (acks && (r.type === 'broker.ack' || r.type === 'events.ack'))
      applied.push({ type: 'effect-applied', time: r.time, id: `${text(r.group)}/${messageId(r)}` });
  }
  return applied;
}
