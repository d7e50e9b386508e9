/**
 * The in-process Broker: fan-out and queue groups with round-robin members, at-most-once and
 * at-least-once delivery with ack timeouts, all on the given runtime's timers. The sim fake hosts
 * this very broker on its broker node, so its semantics are the fake's semantics.
 */
import { unavailable } from '../errors.js';
import { liveRuntime } from '../live.js';
import { type Runtime, randomId, type TimerHandle } from '../runtime.js';
import { checkBody, checkHeaders, resolveSubscribeOptions } from './options.js';
import { validateTopic } from './topic.js';
import type {
  Broker,
  BrokerMessage,
  MessageHandler,
  PublishOptions,
  ReceivedMessage,
  SubscribeConfig,
  SubscribeOptions,
  Subscription,
} from './types.js';

/** What the broker did, for traces and invariants (the fake records these on its node). */
export type BrokerEvent =
  | { readonly type: 'broker.publish'; readonly topic: string; readonly id: string }
  | {
      readonly type: 'broker.deliver';
      readonly topic: string;
      readonly id: string;
      readonly group: string;
      readonly subscriber: string;
      readonly redelivered: boolean;
    }
  | { readonly type: 'broker.ack'; readonly topic: string; readonly id: string; readonly group: string }
  | {
      readonly type: 'broker.redeliver';
      readonly topic: string;
      readonly id: string;
      readonly group: string;
      readonly reason: 'nack' | 'ack-timeout' | 'subscriber-left';
    }
  | {
      readonly type: 'broker.drop';
      readonly topic: string;
      readonly id: string;
      readonly group: string;
      readonly reason: 'no-subscriber';
    };

export interface MemoryBrokerOptions {
  /** Clock, timers and random (message ids). Default: liveRuntime. */
  readonly runtime?: Runtime;
  /** Called for every publish, delivery, ack, redelivery and drop. Default: nothing. */
  readonly onEvent?: (event: BrokerEvent) => void;
}

/**
 * The memory broker also hands out named connections: a Broker view whose subscriptions carry
 * the connection's name in traces and whose `close` ends only its own subscriptions — what a
 * process going away does to a real broker. (The fake opens one per subscriber node.)
 */
export interface MemoryBroker extends Broker {
  connect(name: string): Broker;
}

interface Member {
  readonly subscriber: string;
  readonly handler: MessageHandler;
  readonly config: SubscribeConfig;
  active: boolean;
}

interface Pending {
  readonly message: BrokerMessage;
  readonly member: Member;
  readonly timer: TimerHandle;
}

interface Group {
  readonly key: string;
  readonly name: string;
  readonly topic: string;
  readonly shared: boolean;
  readonly members: Member[];
  next: number;
  /** At-least-once messages waiting for a live member. */
  readonly waiting: { readonly message: BrokerMessage; readonly redelivered: boolean }[];
  readonly pending: Map<number, Pending>;
}

export function memoryBroker(options: MemoryBrokerOptions = {}): MemoryBroker {
  const runtime = options.runtime ?? liveRuntime;
  const emit = options.onEvent ?? (() => {});
  const groups = new Map<string, Group>();
  const byTopic = new Map<string, Group[]>();
  let deliveries = 0;
  let privateGroups = 0;
  let closed = false;
  /** Shared groups whose members asked for at-least-once keep messages while they have no member. */
  const reliable = new Set<string>();

  /** Our own copy (fields named, not spread: this runs on every delivery). */
  const copy = (message: BrokerMessage): BrokerMessage => ({
    id: message.id,
    topic: message.topic,
    headers: { ...message.headers },
    body: message.body.slice(),
  });

  const pick = (group: Group): Member | undefined => {
    // Members leave the list as they unsubscribe: filter (a new array) only if one is inactive.
    const live = group.members.every((m) => m.active) ? group.members : group.members.filter((m) => m.active);
    if (live.length === 0) return undefined;
    const member = live[group.next % live.length];
    group.next = (group.next + 1) % Math.max(1, live.length);
    return member;
  };

  function dispatch(group: Group, message: BrokerMessage, redelivered: boolean): void {
    const member = pick(group);
    if (!member) {
      if (reliable.has(group.key)) group.waiting.push({ message, redelivered });
      else
        emit({ type: 'broker.drop', topic: group.topic, id: message.id, group: group.name, reason: 'no-subscriber' });
      return;
    }
    emit({
      type: 'broker.deliver',
      topic: group.topic,
      id: message.id,
      group: group.name,
      subscriber: member.subscriber,
      redelivered,
    });
    if (member.config.delivery === 'at-most-once') {
      const received: ReceivedMessage = {
        ...copy(message),
        redelivered: false,
        ack: async () => {},
        nack: async () => {},
      };
      void Promise.resolve()
        .then(() => member.handler(received))
        .catch(() => {});
      return;
    }
    const id = ++deliveries;
    const settle = () => {
      const pending = group.pending.get(id);
      if (!pending) return false;
      pending.timer.cancel();
      group.pending.delete(id);
      return true;
    };
    const again = (reason: 'nack' | 'ack-timeout') => {
      if (!settle()) return;
      emit({ type: 'broker.redeliver', topic: group.topic, id: message.id, group: group.name, reason });
      dispatch(group, message, true);
    };
    const timer = runtime.timers.setTimeout(() => again('ack-timeout'), member.config.ackTimeoutMs);
    group.pending.set(id, { message, member, timer });
    const received: ReceivedMessage = {
      ...copy(message),
      redelivered,
      async ack() {
        if (settle()) emit({ type: 'broker.ack', topic: group.topic, id: message.id, group: group.name });
      },
      async nack() {
        again('nack');
      },
    };
    void Promise.resolve()
      .then(() => member.handler(received))
      .then(
        () => (member.config.autoAck ? received.ack() : undefined),
        () => (member.config.autoAck ? received.nack() : undefined),
      );
  }

  function join(subscriber: string, topic: string, handler: MessageHandler, config: SubscribeConfig): Subscription {
    const shared = config.queue !== undefined;
    const name = config.queue ?? `~${subscriber}#${++privateGroups}`;
    const key = `${topic}\u0000${name}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, name, topic, shared, members: [], next: 0, waiting: [], pending: new Map() };
      groups.set(key, group);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), group]);
    }
    if (config.delivery === 'at-least-once' && shared) reliable.add(key);
    const member: Member = { subscriber, handler, config, active: true };
    group.members.push(member);
    const joined = group;
    for (const waiting of joined.waiting.splice(0)) dispatch(joined, waiting.message, waiting.redelivered);
    return {
      topic,
      queue: config.queue,
      async unsubscribe() {
        if (!member.active) return;
        member.active = false;
        joined.members.splice(joined.members.indexOf(member), 1);
        const orphans = [...joined.pending].filter(([, p]) => p.member === member);
        if (joined.members.length === 0 && !(shared && reliable.has(key))) {
          for (const [id, p] of orphans) {
            p.timer.cancel();
            joined.pending.delete(id);
          }
          groups.delete(key);
          byTopic.set(
            topic,
            (byTopic.get(topic) ?? []).filter((g) => g !== joined),
          );
          return;
        }
        for (const [id, p] of orphans) {
          p.timer.cancel();
          joined.pending.delete(id);
          emit({ type: 'broker.redeliver', topic, id: p.message.id, group: joined.name, reason: 'subscriber-left' });
          dispatch(joined, p.message, true);
        }
      },
    };
  }

  const ensureOpen = () => {
    if (closed) throw unavailable('broker is closed');
  };

  const publish = async (topic: string, body: Uint8Array, publishOptions?: PublishOptions) => {
    ensureOpen();
    validateTopic(topic);
    checkBody(body);
    const message: BrokerMessage = {
      id: randomId(runtime),
      topic,
      headers: checkHeaders(publishOptions),
      body: body.slice(),
    };
    emit({ type: 'broker.publish', topic, id: message.id });
    for (const group of byTopic.get(topic) ?? []) dispatch(group, message, false);
    return message.id;
  };

  const connect = (name: string): Broker => {
    const mine = new Set<Subscription>();
    let gone = false;
    const check = () => {
      if (gone) throw unavailable(`broker connection ${name} is closed`);
    };
    return {
      async publish(topic, body, publishOptions) {
        check();
        return publish(topic, body, publishOptions);
      },
      async subscribe(topic: string, handler: MessageHandler, subscribeOptions?: SubscribeOptions) {
        check();
        ensureOpen();
        validateTopic(topic);
        const subscription = join(name, topic, handler, resolveSubscribeOptions(subscribeOptions));
        mine.add(subscription);
        return subscription;
      },
      async close() {
        gone = true;
        for (const subscription of mine) await subscription.unsubscribe();
        mine.clear();
      },
    };
  };
  const local = connect('local');

  return {
    publish,
    subscribe: (topic, handler, subscribeOptions) => local.subscribe(topic, handler, subscribeOptions),
    connect,
    async close() {
      if (closed) return;
      closed = true;
      for (const group of groups.values()) {
        for (const p of group.pending.values()) p.timer.cancel();
        for (const m of group.members) m.active = false;
      }
      groups.clear();
      byTopic.clear();
    },
  };
}
