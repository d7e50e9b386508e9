/**
 * A tiny system for the runner's own tests: one `counter` node that counts increments and a
 * `client` node that sends them and waits 100 ms for the acknowledgement. With `durable: false`
 * the counter keeps its count only in memory, so a crash loses acknowledged increments and the
 * `acked-not-lost` invariant catches it; with `durable: true` it syncs to its simulated disk.
 */
import type { NodeContext, Sim } from '../sim/types.js';
import { defineSystem } from './system.js';

export interface CounterOptions {
  readonly durable?: boolean;
}

export const counterSystem = defineSystem<CounterOptions>({
  name: 'counter',
  parseOptions(raw) {
    const options = (raw ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(options))
      if (key !== 'durable') throw new Error(`unknown option "${key}" (expected: durable)`);
    if (options.durable !== undefined && typeof options.durable !== 'boolean')
      throw new Error(`durable: expected true or false, got ${JSON.stringify(options.durable)}`);
    return { durable: options.durable === true };
  },
  build(sim: Sim, options) {
    let count = 0;
    sim.node('counter', (ctx) => {
      count = options.durable ? Number(ctx.disk.get('count') ?? 0) : 0;
      ctx.on('inc', (message) => {
        count++;
        if (options.durable) {
          ctx.disk.put('count', count);
          ctx.disk.sync();
        }
        ctx.send(message.from, message.payload, { port: 'ack' });
      });
    });
    let client: NodeContext | undefined;
    const waiting = new Map<number, () => void>();
    sim.node('client', (ctx) => {
      client = ctx;
      ctx.on('ack', (message) => waiting.get(message.payload as number)?.());
    });
    return {
      services: { counter: ['counter'] },
      clients: ['client'],
      call(op) {
        const ctx = client;
        if (ctx === undefined) return Promise.reject(new Error('client not booted'));
        return new Promise<void>((resolve, reject) => {
          const timer = ctx.runtime.timers.setTimeout(() => {
            waiting.delete(op.id);
            reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
          }, 100);
          waiting.set(op.id, () => {
            timer.cancel();
            waiting.delete(op.id);
            resolve();
          });
          ctx.send('counter', op.id, { port: 'inc' });
        });
      },
      invariants: {
        'acked-not-lost': () => ({
          name: 'acked-not-lost',
          check({ history }) {
            const acked = history.filter((e) => e.type === 'ok').length;
            return count >= acked
              ? []
              : [{ message: `${acked} increments acknowledged, but the count is ${count}`, node: 'counter' }];
          },
        }),
      },
    };
  },
});
