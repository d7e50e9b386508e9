// Subscriptions survive a lost connection: the link between the plugins and the real NATS server
// runs through a TCP proxy the test cuts mid-stream and restores.

import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { afterEach, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../micro/broker/types.js';
import { isMicroError } from '../../micro/errors.js';
import type { EventMessage } from '../../micro/events/types.js';
import { describeBackend } from '../describe-backend.js';
import { retried, waitFor } from '../socket-faults.js';
import { type TcpProxy, targetOf, tcpProxy, viaProxy } from '../tcp-proxy.js';
import { natsBroker } from './broker.js';
import { natsConfigSource } from './config.js';
import { natsEvents } from './events.js';
import { jetStreamName } from './names.js';
import { encodeKey } from './store.js';
import { uniquePrefix } from './test-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Past the client's old limit of 10 attempts, at 50 ms (+ ≤100 ms jitter) apart. */
const ATTEMPTS_PAST_THE_OLD_LIMIT = 12;
const fast = { waitMs: 50 } as const;

describeBackend('nats', ({ url }) => {
  let proxy: TcpProxy | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await proxy?.close();
  });

  it('a cut link outlasting 10 reconnect attempts: the same subscriptions get every message published after it, once each', async () => {
    proxy = await tcpProxy(targetOf(url, 4222));
    const link = proxy;
    const prefix = uniquePrefix('reconnect');
    const subject = natsBroker({ url: viaProxy(url, link), prefix, reconnect: fast });
    closers.push(() => subject.close());
    const group: ReceivedMessage[] = [];
    const plain: ReceivedMessage[] = [];
    await subject.subscribe('orders', (m) => void group.push(m), { queue: 'audit' });
    await subject.subscribe('orders', (m) => void plain.push(m));
    for (const n of [1, 2, 3]) await subject.publish('orders', bytes(`before-${n}`));
    await waitFor(() => group.length === 3 && plain.length === 3, 'the first three deliveries');

    link.cut();
    await sleep(20); // the client notices the reset
    const failure = await subject.publish('orders', bytes('lost')).catch((error: unknown) => error);
    expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    await waitFor(() => link.refused >= ATTEMPTS_PAST_THE_OLD_LIMIT, 'a dozen refused attempts', 8_000);
    link.restore();

    // The client resends both subscriptions on reconnecting, before anything published after it.
    const after: string[] = [];
    for (let n = 1; n <= 20; n++) {
      await retried(() => subject.publish('orders', bytes(`after-${n}`)), 8_000);
      after.push(`after-${n}`);
    }
    const count = (seen: ReceivedMessage[], body: string) => seen.filter((m) => text(m.body) === body).length;
    await waitFor(
      () => after.every((body) => count(group, body) === 1 && count(plain, body) === 1),
      'every message published after the reconnect, on both subscriptions',
    );
    await sleep(100); // room for a duplicate to show up
    expect(after.map((body) => [count(group, body), count(plain, body)])).toEqual(after.map(() => [1, 1]));
    expect(link.connections).toBe(2); // one reconnect, so each subscription was resent once
  });

  it('unsubscribe and close during an outage return at once; the dropped subscription is not resent', async () => {
    proxy = await tcpProxy(targetOf(url, 4222));
    const link = proxy;
    const prefix = uniquePrefix('reconnect');
    const subject = natsBroker({ url: viaProxy(url, link), prefix, reconnect: fast });
    const kept = natsBroker({ url: viaProxy(url, link), prefix, reconnect: fast });
    const outside = natsBroker({ url, prefix });
    closers.push(
      () => outside.close(),
      () => kept.close(),
      () => subject.close(),
    );
    const dropped: ReceivedMessage[] = [];
    const stayed: ReceivedMessage[] = [];
    const subscription = await subject.subscribe('orders', (m) => void dropped.push(m));
    await kept.subscribe('orders', (m) => void stayed.push(m));

    link.cut();
    await waitFor(() => link.refused >= 2, 'two refused attempts');
    // Neither waits for the server to come back.
    const ended = (async () => {
      await subscription.unsubscribe();
      await subject.close();
      return 'ended';
    })();
    expect(await Promise.race([ended, sleep(2_000).then(() => 'still waiting')])).toBe('ended');
    link.restore();

    await retried(() => kept.publish('orders', bytes('after')), 8_000); // `kept` is back
    await outside.publish('orders', bytes('outside'));
    await waitFor(() => stayed.length === 2, 'both messages on the kept subscription');
    await sleep(fast.waitMs * 4);
    expect([dropped.length, link.connections]).toEqual([0, 3]); // `subject` never came back
  });

  it('reconnect.maxAttempts: the client gives up, and later calls fail as UNAVAILABLE rather than hang', async () => {
    proxy = await tcpProxy(targetOf(url, 4222));
    const link = proxy;
    const subject = natsBroker({
      url: viaProxy(url, link),
      prefix: uniquePrefix('reconnect'),
      reconnect: { ...fast, maxAttempts: 2 },
    });
    closers.push(() => subject.close());
    await subject.publish('orders', bytes('first'));
    link.cut();
    await waitFor(() => link.refused >= 2, 'both attempts');
    await sleep(fast.waitMs * 4);
    link.restore();
    const failure = await subject.publish('orders', bytes('late')).catch((error: unknown) => error);
    expect(isMicroError(failure) && failure.code).toBe('UNAVAILABLE');
    expect([link.refused, link.connections]).toEqual([2, 1]);
  });

  it('a JetStream group consumer pulling through a cut link goes on from where it was: nothing lost, nothing twice', async () => {
    proxy = await tcpProxy(targetOf(url, 4222));
    const link = proxy;
    const prefix = uniquePrefix('reconnect');
    const consuming = natsEvents({ url: viaProxy(url, link), prefix, reconnect: fast });
    const outside = natsEvents({ url, prefix }); // publishes straight to the server all along
    closers.push(
      () => dropStreams(url, prefix),
      () => outside.close(),
      () => consuming.close(),
    );
    // A record the server put into a pull request that died with the link is handed out again
    // only after the ack deadline (JetStream's ack wait): 2 s here, not the default 30 s.
    const consumer = await consuming.consume('orders', {
      group: 'audit',
      startAt: { type: 'earliest' },
      ackDeadlineMs: 2_000,
    });
    const got: EventMessage[] = [];
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const m = await consumer.next();
        if (!m) return;
        got.push(m);
        await m.ack();
      }
    })();
    closers.push(async () => {
      stopped = true;
      await consumer.close();
      await loop;
    });

    const published: string[] = [];
    const publish = async (body: string) => {
      await outside.publish('orders', bytes(body));
      published.push(body);
    };
    for (const n of [1, 2, 3]) await publish(`before-${n}`);
    await waitFor(() => got.length === 3, 'the first three events');

    link.cut();
    for (const n of [1, 2, 3]) await publish(`during-${n}`);
    await waitFor(() => link.refused >= 2, 'two refused attempts');
    link.restore();
    for (let n = 1; n <= 10; n++) await publish(`after-${n}`);

    // Alone this takes ~0.6 s; 10 s ran out once inside a loaded full suite (load ~8).
    await waitFor(() => got.length >= published.length, 'every event published', 30_000);
    await sleep(200); // room for a duplicate to show up
    // An event acked as the link was cut may be handed out again (at-least-once); nothing else is.
    const bodies = got.map((m) => text(m.body));
    // Every event arrives; at most one twice (one acked as the link was cut). A record stuck in a
    // dead pull request arrives after its ack deadline, so later ones may overtake it.
    expect([...new Set(bodies)].sort()).toEqual([...published].sort());
    expect(bodies.length - new Set(bodies).size).toBeLessThanOrEqual(1);
    expect(link.connections).toBe(2);
  }, 45_000);

  it('an anonymous consumer deleted while the link was down is made again and goes on after the last event it handed out', async () => {
    proxy = await tcpProxy(targetOf(url, 4222));
    const link = proxy;
    const prefix = uniquePrefix('reconnect');
    const consuming = natsEvents({ url: viaProxy(url, link), prefix, reconnect: fast });
    const outside = natsEvents({ url, prefix });
    closers.push(
      () => dropStreams(url, prefix),
      () => outside.close(),
      () => consuming.close(),
    );
    const consumer = await consuming.consume('orders', { startAt: { type: 'earliest' }, ack: 'auto' });
    closers.push(() => consumer.close());
    await outside.publish('orders', bytes('first'));
    expect(text((await consumer.next())?.body ?? bytes(''))).toBe('first');

    link.cut();
    // As the server does to an ephemeral consumer idle past its inactive threshold.
    await deleteConsumers(url, `${jetStreamName(prefix)}_orders`);
    await outside.publish('orders', bytes('second'));
    link.restore();

    const next = await Promise.race([consumer.next(), sleep(8_000).then(() => undefined)]);
    expect(next && text(next.body)).toBe('second');
  });

  it('a KV config watch through a cut link notices a change written after the reconnect', async () => {
    proxy = await tcpProxy(targetOf(url, 4222));
    const link = proxy;
    const bucket = uniquePrefix('reconnect');
    const source = natsConfigSource({ url: viaProxy(url, link), bucket, key: 'app.json', reconnect: fast });
    const writer = await connect({ servers: url });
    closers.push(async () => {
      await new Kvm(writer)
        .open(bucket)
        .then((kv) => kv.destroy())
        .catch(() => false);
      await writer.close();
    });
    await source.load(); // makes the bucket
    const kv = await new Kvm(writer).open(bucket);
    let changes = 0;
    const stop = source.watch?.(() => void (changes += 1)) ?? (() => {});
    closers.push(async () => stop());
    await sleep(200); // the watch is set up
    await kv.put(encodeKey('app.json'), '{"pool":1}');
    await waitFor(() => changes === 1, 'the first change');

    link.cut();
    await waitFor(() => link.refused >= 2, 'two refused attempts');
    link.restore();
    await retried(() => source.load(), 8_000); // the source is connected again
    await kv.put(encodeKey('app.json'), '{"pool":2}');
    await waitFor(() => changes >= 2, 'the change written after the reconnect', 8_000);
  });
});

async function admin<T>(url: string, work: (jsm: import('@nats-io/jetstream').JetStreamManager) => Promise<T>) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: url });
  try {
    return await work(await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}

const dropStreams = (url: string, prefix: string) =>
  admin(url, async (jsm) => {
    for await (const name of jsm.streams.names())
      if (name.includes(jetStreamName(prefix))) await jsm.streams.delete(name);
  });

const deleteConsumers = (url: string, stream: string) =>
  admin(url, async (jsm) => {
    for await (const info of jsm.consumers.list(stream)) await jsm.consumers.delete(stream, info.name);
  });
