/**
 * Messaging guarantees: every published message delivered within a bound (at-least-once),
 * and no side effect applied twice (exactly-once effects), and consumer-group ordering.
 */
import { endOf, OK, ofType, requirePositive, type StructuredEvent, type TraceInvariant, violated } from './types.js';

export interface MessagePublished extends StructuredEvent {
  readonly type: 'message-published';
  readonly id: string;
  readonly topic?: string;
}

/** A consumer received a message (redeliveries appear again with the same id). */
export interface MessageDelivered extends StructuredEvent {
  readonly type: 'message-delivered';
  readonly id: string;
  readonly consumer?: string;
  /** The consumer group (for ordering). Default: "". */
  readonly group?: string;
  /** Messages with the same ordering key must be processed in `seq` order. Default: "". */
  readonly orderingKey?: string;
  /** The message's position in publish order within its ordering key. */
  readonly seq?: number;
}

/** The side effect of handling message `id` was applied (a row written, an email sent). */
export interface EffectApplied extends StructuredEvent {
  readonly type: 'effect-applied';
  readonly id: string;
}

/** At-least-once within `withinMs`: judged for messages whose window closed before the run ended. */
export function deliveredWithin(withinMs: number): TraceInvariant {
  requirePositive('deliveredWithin(withinMs)', withinMs);
  const name = `every message delivered within ${withinMs} ms`;
  return {
    name,
    check(events) {
      const end = endOf(events);
      const firstDelivery = new Map<string, number>();
      for (const d of ofType<MessageDelivered>(events, 'message-delivered')) {
        if (!firstDelivery.has(d.id)) firstDelivery.set(d.id, d.time);
      }
      const late = ofType<MessagePublished>(events, 'message-published').filter((p) => {
        if (p.time + withinMs > end) return false; // its window had not closed when the run ended
        const at = firstDelivery.get(p.id);
        return at === undefined || at > p.time + withinMs;
      });
      if (late.length === 0) return OK;
      const shown = late.slice(0, 5).map((p) => {
        const at = firstDelivery.get(p.id);
        return `${p.id} (published t=${p.time}, ${at === undefined ? 'never delivered' : `delivered t=${at}`})`;
      });
      return violated(name, `${late.length} message(s) not delivered in time: ${shown.join('; ')}`, late);
    },
  };
}

/** Exactly-once effects: each message's effect is applied at most once. */
export function noDuplicateEffects(): TraceInvariant {
  const name = 'no side effect applied twice';
  return {
    name,
    check(events) {
      const seen = new Map<string, EffectApplied>();
      const twice: StructuredEvent[] = [];
      for (const e of ofType<EffectApplied>(events, 'effect-applied')) {
        const prior = seen.get(e.id);
        if (prior) twice.push(prior, e);
        else seen.set(e.id, e);
      }
      if (twice.length === 0) return OK;
      const ids = [...new Set(twice.map((e) => (e as EffectApplied).id))];
      return violated(name, `effect applied more than once for ${ids.slice(0, 5).join(', ')}`, twice);
    },
  };
}

/**
 * Consumer-group ordering: within a group and ordering key, a message is never delivered for
 * the first time after a later message (higher `seq`) was. Redeliveries are allowed.
 */
export function consumerGroupOrdering(): TraceInvariant {
  const name = 'consumer-group ordering';
  return {
    name,
    check(events) {
      const highest = new Map<string, MessageDelivered>();
      const delivered = new Set<string>();
      for (const d of ofType<MessageDelivered>(events, 'message-delivered')) {
        if (d.seq === undefined) continue;
        const scope = `${d.group ?? ''}\u0000${d.orderingKey ?? ''}`;
        const id = `${scope}\u0000${d.id}`;
        if (delivered.has(id)) continue;
        delivered.add(id);
        const top = highest.get(scope);
        if (top?.seq !== undefined && d.seq < top.seq) {
          const where = `${d.group ? `group ${d.group}` : 'the group'}${d.orderingKey ? `, key ${d.orderingKey}` : ''}`;
          return violated(
            name,
            `${where}: message ${d.id} (seq ${d.seq}) delivered at t=${d.time} after ${top.id} (seq ${top.seq}) at t=${top.time}`,
            [top, d],
          );
        }
        if (!top || d.seq > (top.seq ?? Number.NEGATIVE_INFINITY)) highest.set(scope, d);
      }
      return OK;
    },
  };
}
