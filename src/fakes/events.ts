/**
 * The Events fake: the memory event store hosted on an infrastructure node of a sim world
 * (default `events`), and Events clients on other nodes that reach it through sim messages.
 * Each consumer's hand-outs travel as sim messages to its node, on a port of its own.
 *
 * Liveness works as in the broker fake: clients renew their consumers every `heartbeatMs`; a
 * consumer not renewed within `leaseMs` (crashed or partitioned node) is closed, so the records it
 * held unacked go back to its group. A lost hand-out or a lost ack is repaired by the ack deadline.
 * Records (with their dedup keys) are synced to the events node's disk before `publish` answers
 * and survive its restart; so do named groups' positions (`events-positions.ts`): after a restart
 * a group resumes where it was, its unacked records handed out again and its acked ones not.
 * Anonymous groups die with the node, as ephemeral consumers do.
 *
 * Trace records on the events node: `events.publish` {stream, offset, id, from (publisher)}, `events.deliver`
 * {stream, group, offset, id, consumer (node#n), delivery}, `events.ack`, `events.redeliver`
 * {…, reason}, `events.dead-letter` {…, deliveries, to}, and `events.consumer-expired` {consumer};
 * on the consumer's node, as a hand-out arrives: `events.received` {stream, id, group}.
 */
import { unavailable } from '../micro/errors.js';
import { memoryEvents, type StoredRecord } from '../micro/events/memory.js';
import { resolveConsumeOptions, validateStream } from '../micro/events/options.js';
import type {
  ConsumeOptions,
  Consumer,
  EventMessage,
  EventPublishOptions,
  EventRecord,
  Events,
} from '../micro/events/types.js';
import type { TimerHandle } from '../micro/runtime.js';
import type { NodeContext, Sim, SimNode } from '../sim/index.js';
import { diskPositions } from './events-positions.js';
import { recordOn } from './record-hooks.js';
import { connect, DEFAULT_REMOTE_TIMEOUT_MS, serve } from './remote.js';

export const DEFAULT_EVENTS_NODE = 'events';
export const EVENTS_PORT = 'events';
export const DEFAULT_CONSUMER_LEASE_MS = 3_000;
export const DEFAULT_EVENTS_HEARTBEAT_MS = 1_000;

export interface HostEventsOptions {
  /** Node name. Default: {@link DEFAULT_EVENTS_NODE}. */
  readonly node?: string;
  /** A consumer not renewed for this long is closed. Default: {@link DEFAULT_CONSUMER_LEASE_MS}. */
  readonly leaseMs?: number;
}

interface HandOut {
  readonly type: 'hand-out';
  readonly consumer: string;
  readonly delivery: string;
  readonly message: EventRecord & { readonly group: string; readonly deliveries: number };
}

type ConsumeRequest = [id: string, stream: string, options: ConsumeOptions, port: string];

export function hostEvents(sim: Sim, options: HostEventsOptions = {}): SimNode {
  const leaseMs = options.leaseMs ?? DEFAULT_CONSUMER_LEASE_MS;
  return sim.node(options.node ?? DEFAULT_EVENTS_NODE, (ctx) => {
    // Records are synced to the node's disk before publish answers, and read back on restart;
    // so are named groups' positions.
    const key = (record: EventRecord) => `events/${record.stream}/${String(record.offset).padStart(12, '0')}`;
    const saved = ctx.disk
      .keys()
      .filter((k) => k.startsWith('events/'))
      .sort()
      .map((k) => ctx.disk.get(k) as StoredRecord);
    // The publishing node, while its publish is being appended (the record names it as `from`).
    let publisher: string | undefined;
    const events = memoryEvents({
      runtime: ctx.runtime,
      onEvent: (event) =>
        recordOn(sim, ctx, event.type === 'events.publish' && publisher ? { ...event, from: publisher } : event),
      restore: saved,
      persist: (record, dedup) => {
        ctx.disk.put(key(record), dedup ? { ...record, dedup } : record);
        ctx.disk.sync();
      },
      positions: diskPositions(ctx.disk),
    });
    const connections = new Map<string, Events>();
    const consumers = new Map<string, { readonly consumer: Consumer; lease: TimerHandle }>();
    const unsettled = new Map<string, EventMessage>();
    let deliveries = 0;
    const connection = (node: string) => {
      let events_ = connections.get(node);
      if (!events_) connections.set(node, (events_ = events.connect(node)));
      return events_;
    };
    const end = (id: string) => {
      const entry = consumers.get(id);
      if (!entry) return;
      entry.lease.cancel();
      consumers.delete(id);
      void entry.consumer.close();
    };
    const lease = (id: string) =>
      ctx.runtime.timers.setTimeout(() => {
        ctx.record({ type: 'events.consumer-expired', consumer: id });
        end(id);
      }, leaseMs);
    const renew = (id: string) => {
      const entry = consumers.get(id);
      if (!entry) return false;
      entry.lease.cancel();
      entry.lease = lease(id);
      return true;
    };

    /** Push every hand-out of `consumer` to its node as it happens. */
    async function forward(id: string, consumer: Consumer, to: string, port: string, manual: boolean) {
      for (let m = await consumer.next(); m; m = await consumer.next()) {
        const delivery = `${ctx.incarnation}.${++deliveries}`; // an ack from before a restart matches nothing
        if (manual) unsettled.set(delivery, m);
        const message = {
          id: m.id,
          stream: m.stream,
          offset: m.offset,
          timestamp: m.timestamp,
          headers: m.headers,
          body: m.body,
          group: m.group,
          deliveries: m.deliveries,
        };
        ctx.send(to, { type: 'hand-out', consumer: id, delivery, message } satisfies HandOut, { port });
      }
    }

    serve(ctx, EVENTS_PORT, {
      publish: ([stream, body, publishOptions], { from }) => {
        publisher = from;
        try {
          return connection(from).publish(stream as string, body as Uint8Array, publishOptions as EventPublishOptions);
        } finally {
          publisher = undefined;
        }
      },
      read: ([stream, readOptions], { from }) => connection(from).read(stream as string, readOptions as object),
      async consume(args, { from }) {
        const [id, stream, consumeOptions, port] = args as ConsumeRequest;
        const known = consumers.get(id);
        if (known) {
          renew(id);
          return known.consumer.group;
        }
        const consumer = await connection(from).consume(stream, consumeOptions);
        consumers.set(id, { consumer, lease: lease(id) });
        void forward(id, consumer, from, port, (consumeOptions.ack ?? 'manual') === 'manual');
        return consumer.group;
      },
      async ack([delivery]) {
        const message = unsettled.get(delivery as string);
        unsettled.delete(delivery as string);
        await message?.ack();
      },
      async nack([delivery, delayMs]) {
        const message = unsettled.get(delivery as string);
        unsettled.delete(delivery as string);
        await message?.nack(delayMs as number);
      },
      heartbeat: ([ids]) => (ids as string[]).filter((id) => !renew(id)),
      close: ([id]) => end(id as string),
    });
  });
}

export interface EventsClientOptions {
  /** Node hosting the event store. Default: {@link DEFAULT_EVENTS_NODE}. */
  readonly host?: string;
  /** Reply timeout, on the client's clock. Default: DEFAULT_REMOTE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** How often consumers are renewed. Default: {@link DEFAULT_EVENTS_HEARTBEAT_MS}. */
  readonly heartbeatMs?: number;
}

interface LocalConsumer {
  readonly stream: string;
  readonly options: ConsumeOptions;
  readonly buffer: EventMessage[];
  readonly waiters: ((message: EventMessage | undefined) => void)[];
  closed: boolean;
}

const clientCounts = new WeakMap<NodeContext, number>();

/** An Events client on the node of `ctx`, talking to the events node over the simulated network. */
export function eventsClient(ctx: NodeContext, options: EventsClientOptions = {}): Events {
  const host = options.host ?? DEFAULT_EVENTS_NODE;
  const remote = connect(ctx, host, EVENTS_PORT, { timeoutMs: options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS });
  const number = (clientCounts.get(ctx) ?? 0) + 1;
  clientCounts.set(ctx, number);
  const port = `events.deliver.${number}`;
  const mine = new Map<string, LocalConsumer>();
  let count = 0;
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw unavailable(`events client on ${ctx.name} is closed`);
  };

  const stopListening = ctx.on(port, ({ payload }) => {
    const { consumer, delivery, message } = payload as HandOut;
    const local = mine.get(consumer);
    if (!local || local.closed) return;
    ctx.record({ type: 'events.received', stream: message.stream, id: message.id, group: message.group });
    const manual = (local.options.ack ?? 'manual') === 'manual';
    const handed: EventMessage = {
      id: message.id,
      stream: message.stream,
      offset: message.offset,
      timestamp: message.timestamp,
      headers: message.headers,
      body: message.body,
      group: message.group,
      deliveries: message.deliveries,
      ack: async () => (manual ? remote.call('ack', delivery) : undefined),
      nack: async (delayMs = 0) => (manual ? remote.call('nack', delivery, delayMs) : undefined),
    };
    const waiter = local.waiters.shift();
    if (waiter) waiter(handed);
    else local.buffer.push(handed);
  });

  const register = (id: string) => {
    const local = mine.get(id);
    return local ? remote.call<string>('consume', id, local.stream, local.options, port) : Promise.resolve('');
  };
  const heartbeat = ctx.runtime.timers.setInterval(() => {
    if (mine.size === 0) return;
    remote
      .call<string[]>('heartbeat', [...mine.keys()])
      .then((unknown) => Promise.all(unknown.map(register)))
      .catch(() => {}); // unreachable: our consumers will be closed there, and re-created later
  }, options.heartbeatMs ?? DEFAULT_EVENTS_HEARTBEAT_MS);

  const open = (id: string, local: LocalConsumer, group: string): Consumer => {
    const next = async () => {
      if (local.closed) return undefined;
      const buffered = local.buffer.shift();
      if (buffered) return buffered;
      return new Promise<EventMessage | undefined>((resolve) => local.waiters.push(resolve));
    };
    const close = async () => {
      if (local.closed) return;
      local.closed = true;
      mine.delete(id);
      for (const waiter of local.waiters.splice(0)) waiter(undefined);
      await remote.call('close', id).catch(() => {}); // unreachable: the lease closes it there
    };
    return {
      stream: local.stream,
      group,
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
  };

  return {
    async publish(stream, body, publishOptions) {
      ensureOpen();
      return remote.call('publish', stream, body, publishOptions ?? {});
    },
    async read(stream, readOptions) {
      ensureOpen();
      return remote.call('read', stream, readOptions ?? {});
    },
    async consume(stream, consumeOptions = {}) {
      ensureOpen();
      validateStream(stream);
      resolveConsumeOptions(consumeOptions); // bad options fail here, before the network
      const id = `${ctx.name}/${ctx.incarnation}/${number}/${++count}`;
      const local: LocalConsumer = { stream, options: consumeOptions, buffer: [], waiters: [], closed: false };
      mine.set(id, local);
      try {
        return open(id, local, await register(id));
      } catch (error) {
        mine.delete(id);
        throw error;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      heartbeat.cancel();
      await Promise.all([...mine.keys()].map((id) => remote.call('close', id).catch(() => {})));
      for (const local of mine.values()) {
        local.closed = true;
        for (const waiter of local.waiters.splice(0)) waiter(undefined);
      }
      mine.clear();
      stopListening();
      remote.close();
    },
  };
}
