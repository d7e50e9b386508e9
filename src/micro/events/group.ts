/**
 * One consumer group of one stream: a cursor for first deliveries, the unsettled records with
 * their ack deadlines, the records waiting to go out again, and the consumers waiting for work.
 * Pull-based: a consumer asks (`next`), the group hands out the lowest-offset redelivery first,
 * else the record at the cursor — unless `maxInFlight` records are already unsettled.
 */
import type { Runtime, TimerHandle } from '../runtime.js';
import type { ConsumeConfig, EventMessage, EventRecord } from './types.js';

/** What the stream service did, for traces and invariants (the fake records these on its node). */
export type EventsEvent =
  | { readonly type: 'events.publish'; readonly stream: string; readonly offset: number; readonly id: string }
  | {
      readonly type: 'events.deliver';
      readonly stream: string;
      readonly group: string;
      readonly offset: number;
      readonly id: string;
      readonly consumer: string;
      readonly delivery: number;
    }
  | {
      readonly type: 'events.ack';
      readonly stream: string;
      readonly group: string;
      readonly offset: number;
      readonly id: string;
    }
  | {
      readonly type: 'events.redeliver';
      readonly stream: string;
      readonly group: string;
      readonly offset: number;
      readonly id: string;
      readonly reason: 'nack' | 'ack-deadline' | 'consumer-left';
    }
  | {
      readonly type: 'events.dead-letter';
      readonly stream: string;
      readonly group: string;
      readonly offset: number;
      readonly id: string;
      readonly deliveries: number;
      readonly to: string | undefined;
    };

export interface GroupHost {
  readonly runtime: Runtime;
  readonly emit: (event: EventsEvent) => void;
  readonly records: readonly EventRecord[];
  /** Append a dead-lettered record to the dead-letter stream. */
  deadLetter(record: EventRecord, to: string, deliveries: number, group: string): void;
  /** Told of every change to the group's position, to make it durable. Default: nobody. */
  readonly positions?: PositionListener;
}

/**
 * A group's durable position: every offset ≤ `cursor` has been handed out, and of those only
 * the `unsettled` ones (offset → hand-outs so far) are not yet acked or dead-lettered.
 */
export interface GroupPosition {
  readonly cursor: number;
  readonly unsettled: ReadonlyMap<number, number>;
}

/** The changes that make up a {@link GroupPosition}, as they happen. */
export interface PositionListener {
  cursor(cursor: number): void;
  handedOut(offset: number, deliveries: number): void;
  settled(offset: number): void;
}

interface Outstanding {
  readonly consumer: string;
  readonly delivery: number;
  readonly timer: TimerHandle;
}

interface Waiter {
  readonly consumer: string;
  readonly resolve: (message: EventMessage | undefined) => void;
}

export interface Group {
  readonly name: string;
  readonly config: ConsumeConfig;
  readonly consumers: Set<string>;
  next(consumer: string): Promise<EventMessage | undefined>;
  leave(consumer: string): void;
  pump(): void;
  stop(): void;
}

/**
 * A group starting at `start`: a cursor (0-based index of the next first delivery) for a new
 * group, or a restored {@link GroupPosition} — its unsettled records are handed out again first,
 * their hand-out counts kept.
 */
export function createGroup(
  host: GroupHost,
  stream: string,
  name: string,
  config: ConsumeConfig,
  start: number | GroupPosition,
): Group {
  const { runtime, emit, records } = host;
  const positions = host.positions;
  const restored = typeof start === 'number' ? undefined : start;
  let cursor = restored ? restored.cursor : (start as number);
  const deliveries = new Map<number, number>(restored?.unsettled ?? []);
  const outstanding = new Map<number, Outstanding>();
  const retry: number[] = [...deliveries.keys()].sort((x, y) => x - y);
  if (!restored) positions?.cursor(cursor);
  const delayed = new Map<number, TimerHandle>();
  const waiters: Waiter[] = [];
  const consumers = new Set<string>();
  const manual = config.ack === 'manual';
  const inFlight = () => outstanding.size + retry.length + delayed.size;
  const idOf = (offset: number) => records[offset - 1]?.id ?? '';

  const queueRetry = (offset: number) => {
    const at = retry.findIndex((o) => o > offset);
    if (at === -1) retry.push(offset);
    else retry.splice(at, 0, offset);
  };

  function settle(offset: number): void {
    const out = outstanding.get(offset);
    const retryAt = retry.indexOf(offset);
    const later = delayed.get(offset);
    if (out) {
      out.timer.cancel();
      outstanding.delete(offset);
    } else if (retryAt !== -1) retry.splice(retryAt, 1);
    else if (later) {
      later.cancel();
      delayed.delete(offset);
    } else return;
    deliveries.delete(offset); // settled for good: its count is not needed again
    positions?.settled(offset);
    emit({ type: 'events.ack', stream, group: name, offset, id: idOf(offset) });
    pump();
  }

  /** Dead-letter (and settle) `offset` if it was handed out maxDeliveries times; says whether it was. */
  function deadLettered(offset: number): boolean {
    const count = deliveries.get(offset) ?? 0;
    const record = records[offset - 1];
    if (count < config.maxDeliveries || !record) return false;
    emit({
      type: 'events.dead-letter',
      stream,
      group: name,
      offset,
      id: record.id,
      deliveries: count,
      to: config.deadLetter,
    });
    if (config.deadLetter !== undefined) host.deadLetter(record, config.deadLetter, count, name);
    deliveries.delete(offset);
    positions?.settled(offset);
    return true;
  }

  function again(offset: number, delivery: number, delayMs: number, reason: 'nack' | 'ack-deadline' | 'consumer-left') {
    const out = outstanding.get(offset);
    if (out?.delivery !== delivery) return; // settled, or superseded by a later delivery
    out.timer.cancel();
    outstanding.delete(offset);
    if (!deadLettered(offset)) {
      emit({ type: 'events.redeliver', stream, group: name, offset, id: idOf(offset), reason });
      if (delayMs > 0)
        delayed.set(
          offset,
          runtime.timers.setTimeout(() => {
            delayed.delete(offset);
            queueRetry(offset);
            pump();
          }, delayMs),
        );
      else queueRetry(offset);
    }
    pump();
  }

  function handOut(waiter: Waiter, offset: number): void {
    const record = records[offset - 1]!;
    const delivery = (deliveries.get(offset) ?? 0) + 1;
    if (manual) deliveries.set(offset, delivery);
    else deliveries.delete(offset); // auto-acked: settled as it goes out
    if (manual) positions?.handedOut(offset, delivery);
    else if (delivery > 1) positions?.settled(offset); // restored unsettled, now auto-acked
    if (manual) {
      const timer = runtime.timers.setTimeout(() => again(offset, delivery, 0, 'ack-deadline'), config.ackDeadlineMs);
      outstanding.set(offset, { consumer: waiter.consumer, delivery, timer });
    }
    emit({ type: 'events.deliver', stream, group: name, offset, id: record.id, consumer: waiter.consumer, delivery });
    waiter.resolve({
      id: record.id,
      stream: record.stream,
      offset: record.offset,
      timestamp: record.timestamp,
      headers: { ...record.headers },
      body: record.body.slice(),
      group: name,
      deliveries: delivery,
      ack: async () => (manual ? settle(offset) : undefined),
      nack: async (delayMs = 0) => (manual ? again(offset, delivery, Math.max(0, delayMs), 'nack') : undefined),
    });
  }

  function pump(): void {
    while (waiters.length > 0) {
      let offset: number | undefined;
      if (retry.length > 0) offset = retry.shift();
      else if (cursor < records.length && (!manual || inFlight() < config.maxInFlight)) {
        offset = ++cursor;
        positions?.cursor(cursor);
      }
      if (offset === undefined) return;
      handOut(waiters.shift()!, offset);
    }
  }

  // Restored records were last held by consumers that are gone: as if each had left.
  for (const offset of [...retry]) if (deadLettered(offset)) retry.splice(retry.indexOf(offset), 1);

  return {
    name,
    config,
    consumers,
    next(consumer) {
      return new Promise((resolve) => {
        waiters.push({ consumer, resolve });
        pump();
      });
    },
    leave(consumer) {
      consumers.delete(consumer);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]?.consumer !== consumer) continue;
        waiters[i]?.resolve(undefined);
        waiters.splice(i, 1);
      }
      for (const [offset, out] of [...outstanding])
        if (out.consumer === consumer) again(offset, out.delivery, 0, 'consumer-left');
    },
    pump,
    stop() {
      for (const out of outstanding.values()) out.timer.cancel();
      for (const timer of delayed.values()) timer.cancel();
      for (const waiter of waiters.splice(0)) waiter.resolve(undefined);
    },
  };
}
