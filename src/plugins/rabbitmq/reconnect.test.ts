// Subscriptions survive a lost connection: the link between the broker and the real RabbitMQ
// server runs through a TCP proxy the test cuts mid-stream and restores.
import amqp from 'amqplib';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Broker, ReceivedMessage } from '../../micro/broker/types.js';
import { isMicroError } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import type { Runtime } from '../../micro/runtime.js';
import { describeBackend } from '../describe-backend.js';
import { retried, waitFor } from '../socket-faults.js';
import { type TcpProxy, targetOf, tcpProxy, viaProxy } from '../tcp-proxy.js';
import { rabbitBroker } from './broker.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (message: ReceivedMessage) => new TextDecoder().decode(message.body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fast = { baseMs: 20, maxMs: 200 } as const;

/** Poll the async `done` every 20 ms; fail naming `what` after 4 s. */
async function eventually(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await done()); waited += 20) {
    if (waited > 4_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describeBackend('rabbitmq', ({ url }) => {
  const prefix = `mctest.reconnect.${process.pid}.${Date.now().toString(36)}`;
  let proxy: TcpProxy;
  let side: amqp.ChannelModel;
  let inspect: amqp.Channel;
  const brokers: Broker[] = [];
  const broker = (options: Parameters<typeof rabbitBroker>[0] = {}) => {
    const made = rabbitBroker({ url: viaProxy(url, proxy), prefix, reconnect: fast, ...options });
    brokers.push(made);
    return made;
  };
  /** Consumers on a group queue, as the server counts them (0 when the queue is gone). */
  const consumersOf = async (queue: string) => {
    const probe = await side.createChannel();
    probe.on('error', () => {});
    try {
      return (await probe.checkQueue(queue)).consumerCount;
    } catch {
      return 0;
    } finally {
      await probe.close().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    side = await amqp.connect(url);
    inspect = await side.createChannel();
  });
  afterEach(async () => {
    for (const made of brokers.splice(0)) await made.close();
    await proxy?.close();
  });
  afterAll(async () => {
    for (const group of ['audit', 'held', 'ledger', 'gone'])
      await inspect.deleteQueue(`${prefix}.${group}.orders`).catch(() => undefined);
    await inspect.deleteExchange(prefix).catch(() => undefined);
    await side.close();
  });

  it('a cut link: the same subscriptions get every message published after the reconnect, once each', async () => {
    proxy = await tcpProxy(targetOf(url, 5672));
    const subject = broker();
    const group: ReceivedMessage[] = [];
    const plain: ReceivedMessage[] = [];
    await subject.subscribe('orders', (m) => void group.push(m), { queue: 'audit', delivery: 'at-least-once' });
    await subject.subscribe('orders', (m) => void plain.push(m));
    const outside = rabbitBroker({ url, prefix }); // publishes straight to the server all along
    brokers.push(outside);

    for (const n of [1, 2, 3]) await subject.publish('orders', bytes(`before-${n}`));
    await waitFor(() => group.length === 3 && plain.length === 3, 'the first three deliveries');

    proxy.cut();
    const outage: string[] = [];
    for (const n of [1, 2, 3]) {
      const failure = await subject.publish('orders', bytes('lost')).catch((error: unknown) => error);
      expect(isMicroError(failure) && [failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
      outage.push(`during-${n}`);
      await outside.publish('orders', bytes(`during-${n}`));
    }
    await waitFor(() => proxy.refused >= 1, 'a refused reconnect attempt');
    const refusedSubscribe = await subject.subscribe('orders', () => {}).catch((error: unknown) => error);
    expect(isMicroError(refusedSubscribe) && [refusedSubscribe.code, refusedSubscribe.retryable]).toEqual([
      'UNAVAILABLE',
      true,
    ]);
    proxy.restore();

    // The first publish to succeed again proves the subscriptions are back (they are restored first).
    const after: string[] = [];
    for (let n = 1; n <= 20; n++) {
      await retried(() => subject.publish('orders', bytes(`after-${n}`)));
      after.push(`after-${n}`);
    }
    await waitFor(
      () => after.every((body) => group.some((m) => text(m) === body) && plain.some((m) => text(m) === body)),
      'every message published after the reconnect, on both subscriptions',
    );
    await sleep(100); // room for a duplicate to show up
    const count = (seen: ReceivedMessage[], body: string) => seen.filter((m) => text(m) === body).length;
    expect(after.map((body) => [count(group, body), count(plain, body)])).toEqual(after.map(() => [1, 1]));
    // The group's queue outlived the outage: what was published meanwhile is delivered too.
    expect(outage.map((body) => count(group, body))).toEqual([1, 1, 1]);
    // One reconnect and one consumer on the group queue: nothing was subscribed twice.
    expect(proxy.connections).toBe(2);
    expect(await consumersOf(`${prefix}.audit.orders`)).toBe(1);
  });

  it('a message held unacked when the link is cut comes back to the same subscription, redelivered', async () => {
    proxy = await tcpProxy(targetOf(url, 5672));
    const link = proxy;
    const subject = broker();
    const got: ReceivedMessage[] = [];
    await subject.subscribe('orders', (m) => void got.push(m), {
      queue: 'held',
      delivery: 'at-least-once',
      autoAck: false,
    });
    const outside = rabbitBroker({ url, prefix });
    brokers.push(outside);
    const id = await outside.publish('orders', bytes('hold me'));
    await waitFor(() => got.length === 1, 'the first delivery');

    link.cut();
    await waitFor(() => link.refused >= 1, 'a refused reconnect attempt');
    await got[0]?.ack(); // its channel is gone: a no-op, not a throw
    link.restore();
    await waitFor(() => got.length === 2, 'the redelivery after the reconnect');
    expect([got[1]?.id, got[1]?.redelivered]).toEqual([id, true]);
    await got[1]?.ack();
    await sleep(100);
    expect(got).toHaveLength(2);
    expect(link.connections).toBe(2);
  });

  it('unsubscribe and close during an outage: nothing reconnects afterwards and the group queue has no consumer', async () => {
    proxy = await tcpProxy(targetOf(url, 5672));
    const subject = broker();
    const got: ReceivedMessage[] = [];
    const subscription = await subject.subscribe('orders', (m) => void got.push(m), { queue: 'ledger' });
    expect(await consumersOf(`${prefix}.ledger.orders`)).toBe(1);

    proxy.cut();
    await waitFor(() => proxy.refused >= 2, 'two refused reconnect attempts');
    await subscription.unsubscribe();
    await subject.close();
    proxy.restore();
    await sleep(fast.maxMs * 3); // well past the longest backoff

    expect([proxy.connections, await consumersOf(`${prefix}.ledger.orders`)]).toEqual([1, 0]);
    const outside = rabbitBroker({ url, prefix });
    brokers.push(outside);
    await outside.publish('orders', bytes('nobody listens'));
    await sleep(50);
    expect(got).toEqual([]);
  });

  it('reconnect.maxAttempts: recovery gives up, the subscription ends, and the next publish connects afresh', async () => {
    proxy = await tcpProxy(targetOf(url, 5672));
    const waits: number[] = []; // every wait goes through the runtime's timers
    const runtime: Runtime = {
      ...liveRuntime,
      timers: {
        ...liveRuntime.timers,
        setTimeout: (fn, ms) => {
          waits.push(ms);
          return liveRuntime.timers.setTimeout(fn, ms);
        },
      },
    };
    const subject = broker({ reconnect: { ...fast, maxAttempts: 2 }, runtime });
    const got: ReceivedMessage[] = [];
    await subject.subscribe('orders', (m) => void got.push(m));
    proxy.cut();
    await waitFor(() => proxy.refused >= 2, 'both reconnect attempts');
    await sleep(fast.maxMs * 2);
    expect(proxy.refused).toBe(2); // and no third
    // Attempt n waited between half and all of baseMs · 2ⁿ.
    expect(waits.map((ms, n) => ms >= (fast.baseMs * 2 ** n) / 2 && ms <= fast.baseMs * 2 ** n)).toEqual([true, true]);
    proxy.restore();

    await subject.publish('orders', bytes('to nobody'));
    await sleep(100);
    expect([proxy.connections, got.length]).toEqual([2, 0]);
  });

  it('a subscription whose queue the server deletes declares it again and goes on receiving', async () => {
    proxy = await tcpProxy(targetOf(url, 5672));
    const subject = broker();
    const got: ReceivedMessage[] = [];
    await subject.subscribe('orders', (m) => void got.push(m), { queue: 'gone' });
    const queue = `${prefix}.gone.orders`;
    await inspect.deleteQueue(queue); // the server cancels the consumer; its channel is closed and made again
    await eventually(async () => (await consumersOf(queue)) === 1, 'the consumer on the declared-again queue');
    await subject.publish('orders', bytes('after the delete'));
    await waitFor(() => got.some((m) => text(m) === 'after the delete'), 'the delivery on the re-made queue');
    expect([proxy.connections, await consumersOf(queue)]).toEqual([1, 1]);
  });
});
