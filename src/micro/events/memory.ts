/**
 * The in-process Events: streams as arrays, consumer groups as {@link createGroup} state
 * machines, deadlines on the given runtime's timers. The sim fake hosts this very service on its
 * events node, so its semantics are the fake's semantics.
 */

import { checkBody, checkHeaders } from '../broker/options.js';
import { unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import { type Runtime, randomId } from '../runtime.js';
import { createGroup, type EventsEvent, type Group, type GroupPosition, type PositionListener } from './group.js';
import {
  checkDedup,
  dedupId,
  resolveConsumeOptions,
  resolveReadOptions,
  startIndex,
  validateStream,
} from './options.js';
import {
  type Consumer,
  DEFAULT_DEDUP_WINDOW_MS,
  type EventMessage,
  type EventPublishOptions,
  type EventRecord,
  type Events,
  type Published,
  type PublishKey,
} from './types.js';

/** A record as persisted: with the dedup key it was published under, if any. */
export type StoredRecord = EventRecord & { readonly dedup?: PublishKey };

/** Where named groups' positions are kept across restarts (the fake keeps them on its node's disk). */
export interface GroupPositions {
  /** The saved position of a named group, or undefined when it was never created. */
  load(stream: string, group: string): GroupPosition | undefined;
  /** Where the changes of one named group's position go. */
  listen(stream: string, group: string): PositionListener;
}

export interface MemoryEventsOptions {
  /** Clock, timers and random (message ids). Default: liveRuntime. */
  readonly runtime?: Runtime;
  /** Called for every publish, delivery, ack, redelivery and dead letter. Default: nothing. */
  readonly onEvent?: (event: EventsEvent) => void;
  /** Called with every appended record (and its dedup key) before `publish` resolves (make it durable here). Default: nothing. */
  readonly persist?: (record: EventRecord, dedup: PublishKey | undefined) => void;
  /** Records to start with (what `persist` saved before a restart), in offset order per stream. Default: none. */
  readonly restore?: Iterable<StoredRecord>;
  /** How long a publish's dedup key is remembered (from its first publish). Default: {@link DEFAULT_DEDUP_WINDOW_MS}. */
  readonly dedupWindowMs?: number;
  /** Durable positions for named groups. Default: none (positions live and die with this instance). */
  readonly positions?: GroupPositions;
}

/**
 * Memory Events also hands out named connections: an Events view whose consumers carry the
 * connection's name in traces and whose `close` ends only its own consumers (the fake opens one
 * per client node).
 */
export interface MemoryEvents extends Events {
  connect(name: string): Events;
}

export function memoryEvents(options: MemoryEventsOptions = {}): MemoryEvents {
  const runtime = options.runtime ?? liveRuntime;
  const emit = options.onEvent ?? (() => {});
  const streams = new Map<string, EventRecord[]>();
  const groups = new Map<string, Group>();
  let anonymous = 0;
  let consumerCount = 0;
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable('events is closed');
  };
  const persist = options.persist ?? (() => {});
  const records = (stream: string) => {
    let list = streams.get(stream);
    if (!list) streams.set(stream, (list = []));
    return list;
  };
  // Dedup keys (stream NUL producer/sequence) → the record first published under them, oldest first.
  const dedupWindowMs = options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  const seen = new Map<string, EventRecord>();
  const dedupKey = (stream: string, key: PublishKey) => `${stream}\u0000${dedupId(key)}`;
  const forgetExpired = () => {
    const now = runtime.clock.now();
    for (const [key, record] of seen) {
      if (record.timestamp + dedupWindowMs > now) return;
      seen.delete(key);
    }
  };

  const keyed: [string, EventRecord][] = [];
  for (const { dedup, ...record } of options.restore ?? []) {
    const list = records(record.stream);
    if (record.offset !== list.length + 1)
      throw new RangeError(`restore: ${record.stream} offset ${record.offset} follows ${list.length}`);
    list.push(record);
    if (dedup) keyed.push([dedupKey(record.stream, dedup), record]);
  }
  // Oldest first across streams, so that forgetting expired keys can stop at the first live one.
  for (const [key, record] of keyed.sort((x, y) => x[1].timestamp - y[1].timestamp)) seen.set(key, record);

  const append = (
    stream: string,
    body: Uint8Array,
    headers: Record<string, string>,
    dedup?: PublishKey,
  ): EventRecord => {
    const list = records(stream);
    const record: EventRecord = {
      id: randomId(runtime),
      stream,
      offset: list.length + 1,
      timestamp: runtime.clock.now(),
      headers,
      body: body.slice(),
    };
    list.push(record);
    if (dedup) seen.set(dedupKey(stream, dedup), record);
    persist(record, dedup);
    emit({ type: 'events.publish', stream, offset: record.offset, id: record.id });
    for (const [key, group] of groups) if (key.startsWith(`${stream}\u0000`)) group.pump();
    return record;
  };

  const host = (stream: string) => ({
    runtime,
    emit,
    records: records(stream),
    deadLetter(record: EventRecord, to: string, deliveries: number, group: string) {
      append(to, record.body, {
        ...record.headers,
        'x-dead-letter-stream': record.stream,
        'x-dead-letter-offset': String(record.offset),
        'x-dead-letter-deliveries': String(deliveries),
        'x-dead-letter-group': group,
      });
    },
  });

  const connect = (connection: string): Events => {
    const mine = new Set<Consumer>();
    let gone = false;
    const check = () => {
      ensureOpen();
      if (gone) throw unavailable(`events connection ${connection} is closed`);
    };
    return {
      async publish(stream, body, publishOptions?: EventPublishOptions): Promise<Published> {
        check();
        validateStream(stream);
        checkBody(body);
        const headers = checkHeaders(publishOptions);
        const dedup = checkDedup(publishOptions);
        forgetExpired();
        const first = dedup && seen.get(dedupKey(stream, dedup));
        const { id, offset, timestamp } = first ?? append(stream, body, headers, dedup);
        return { id, offset, timestamp, duplicate: first !== undefined };
      },
      async read(stream, readOptions) {
        check();
        validateStream(stream);
        const { startAt, limit } = resolveReadOptions(readOptions);
        const list = streams.get(stream) ?? [];
        return list
          .slice(Math.max(0, startIndex(list, startAt)))
          .slice(0, limit)
          .map((r) => ({ ...r, headers: { ...r.headers }, body: r.body.slice() }));
      },
      async consume(stream, consumeOptions) {
        check();
        validateStream(stream);
        const config = resolveConsumeOptions(consumeOptions);
        const name = config.group ?? `~${connection}#${++anonymous}`;
        const key = `${stream}\u0000${name}`;
        let group = groups.get(key);
        if (!group) {
          const durable = config.group === undefined ? undefined : options.positions;
          const h = { ...host(stream), ...(durable ? { positions: durable.listen(stream, name) } : {}) };
          const start = durable?.load(stream, name) ?? Math.max(0, startIndex(h.records, config.startAt));
          group = createGroup(h, stream, name, config, start);
          groups.set(key, group);
        }
        const consumer = openConsumer(
          group,
          key,
          stream,
          `${connection}#${++consumerCount}`,
          config.group === undefined,
        );
        mine.add(consumer);
        return consumer;
      },
      async close() {
        gone = true;
        for (const consumer of mine) await consumer.close();
        mine.clear();
      },
    };
  };

  function openConsumer(group: Group, key: string, stream: string, id: string, anonymousGroup: boolean): Consumer {
    let done = false;
    group.consumers.add(id);
    const next = async (): Promise<EventMessage | undefined> => (done || closed ? undefined : group.next(id));
    const close = async () => {
      if (done) return;
      done = true;
      group.leave(id);
      if (anonymousGroup) {
        group.stop();
        groups.delete(key);
      }
    };
    return {
      stream,
      group: group.name,
      next,
      close,
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const value = await next();
          return value ? { value, done: false } : { value: undefined, done: true };
        },
        return: async () => {
          await close();
          return { value: undefined, done: true };
        },
      }),
    };
  }

  const local = connect('local');
  return {
    publish: (stream, body, publishOptions) => local.publish(stream, body, publishOptions),
    read: (stream, readOptions) => local.read(stream, readOptions),
    consume: (stream, consumeOptions) => local.consume(stream, consumeOptions),
    connect,
    async close() {
      if (closed) return;
      closed = true;
      for (const group of groups.values()) group.stop();
      groups.clear();
    },
  };
}
